/** A user whose online state changed in this instance's view. */
export interface PresenceChange {
  userId: string;
  online: boolean;
}

/**
 * Who is online anywhere, as one instance sees it: its own connections counted per user, and
 * each other instance's users as its presence events and heartbeats told. A user is online
 * while any instance has a connection of theirs. Every change answers the users whose state
 * changed in this view; each instance pushes those to its own connections only.
 */
export class PresenceBoard {
  private readonly local = new Map<string, number>();
  private readonly remote = new Map<string, { seenAt: number; users: Set<string> }>();

  constructor(private readonly expireAfterMs: number) {}

  isOnline(userId: string): boolean {
    if (this.local.has(userId)) return true;
    for (const view of this.remote.values()) if (view.users.has(userId)) return true;
    return false;
  }

  /** The users with a connection to this instance. */
  localUsers(): string[] {
    return [...this.local.keys()];
  }

  /** A connection of `userId` opened (+1) or closed (-1) here; `edge`: it was the user's first, or last, on this instance. */
  connection(userId: string, delta: 1 | -1): { edge: boolean; changes: PresenceChange[] } {
    const count = (this.local.get(userId) ?? 0) + delta;
    const edge = delta === 1 ? count === 1 : count === 0;
    return {
      edge,
      changes: this.watch([userId], () => {
        if (count > 0) this.local.set(userId, count);
        else this.local.delete(userId);
      }),
    };
  }

  /** Another instance says `userId` got its first connection there, or closed its last. */
  remoteChange(instanceId: string, userId: string, online: boolean, now: number): PresenceChange[] {
    return this.watch([userId], () => {
      const view = this.viewOf(instanceId, now);
      if (online) view.users.add(userId);
      else view.users.delete(userId);
    });
  }

  /** Another instance's full list of users. */
  heartbeat(instanceId: string, users: readonly string[], now: number): PresenceChange[] {
    const before = this.remote.get(instanceId)?.users ?? new Set<string>();
    return this.watch([...before, ...users], () => this.remote.set(instanceId, { seenAt: now, users: new Set(users) }));
  }

  /** Another instance left: its users are offline there. */
  gone(instanceId: string): PresenceChange[] {
    return this.watch([...(this.remote.get(instanceId)?.users ?? [])], () => this.remote.delete(instanceId));
  }

  /** Forgets instances silent for longer than the expiry (they died without a word). */
  expire(now: number): PresenceChange[] {
    const stale = [...this.remote.entries()].filter(([, view]) => now - view.seenAt > this.expireAfterMs);
    return stale.flatMap(([instanceId]) => this.gone(instanceId));
  }

  private viewOf(instanceId: string, now: number): { seenAt: number; users: Set<string> } {
    let view = this.remote.get(instanceId);
    if (!view) this.remote.set(instanceId, (view = { seenAt: now, users: new Set() }));
    view.seenAt = now;
    return view;
  }

  private watch(userIds: readonly string[], change: () => void): PresenceChange[] {
    const unique = [...new Set(userIds)];
    const before = unique.map((userId) => this.isOnline(userId));
    change();
    return unique.flatMap((userId, i) => (this.isOnline(userId) === before[i] ? [] : [{ userId, online: !before[i] }]));
  }
}
