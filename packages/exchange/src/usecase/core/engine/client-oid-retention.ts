import type { UserAccount } from '../ledger/ledger';

/**
 * Remembers the last `capacity` client order ids, engine-wide and oldest first, to refuse
 * duplicates. Eviction is by count, never by wall clock, so replay rebuilds the same set; the
 * list is part of the snapshot. Open orders stay findable by client oid however old they are.
 */
export class ClientOidRetention {
  private users: UserAccount[] = [];
  private oids: string[] = [];
  private head = 0;

  constructor(private readonly capacity: number) {}

  isTaken(user: UserAccount, clientOid: string): boolean {
    return user.recentClientOids?.has(clientOid) === true || user.openByClientOid?.has(clientOid) === true;
  }

  remember(user: UserAccount, clientOid: string): void {
    (user.recentClientOids ??= new Set()).add(clientOid);
    this.users.push(user);
    this.oids.push(clientOid);
    if (this.users.length - this.head > this.capacity) {
      (this.users[this.head] as UserAccount).recentClientOids?.delete(this.oids[this.head] as string);
      this.head++;
      if (this.head > 4096 && this.head * 2 > this.users.length) {
        this.users = this.users.slice(this.head);
        this.oids = this.oids.slice(this.head);
        this.head = 0;
      }
    }
  }

  entries(): Array<{ userId: string; clientOid: string }> {
    const entries: Array<{ userId: string; clientOid: string }> = [];
    for (let i = this.head; i < this.users.length; i++) {
      entries.push({ userId: (this.users[i] as UserAccount).id, clientOid: this.oids[i] as string });
    }
    return entries;
  }
}
