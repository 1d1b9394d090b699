import type { RefreshToken, Session, SessionRepository, SessionRevocationReason } from '@sd/domain/auth/session';

/**
 * Keeps sessions read by id in process memory, so an authenticated request does not query
 * SQL. Correct only where this process is the store's one writer (the embedded default): every
 * change goes through here and drops the cached copy first. Shared stores (several instances)
 * must not use it, or a log-out on one instance would not reach the others at once.
 */
export class CachedSessionRepository implements SessionRepository {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly store: SessionRepository,
    private readonly maxEntries = 100_000,
  ) {}

  create(session: Session, refreshToken: RefreshToken): Promise<void> {
    this.sessions.delete(session.id);
    return this.store.create(session, refreshToken);
  }

  async findById(id: string): Promise<Session | null> {
    const cached = this.sessions.get(id);
    if (cached !== undefined) return cached;
    const session = await this.store.findById(id);
    if (session !== null) {
      if (this.sessions.size >= this.maxEntries) this.sessions.delete(this.sessions.keys().next().value!);
      this.sessions.set(id, session);
    }
    return session;
  }

  findRefreshToken(tokenHash: string): Promise<RefreshToken | null> {
    return this.store.findRefreshToken(tokenHash);
  }

  async rotateRefreshToken(usedHash: string, next: RefreshToken, sessionExpiresAt: number): Promise<boolean> {
    this.sessions.delete(next.sessionId);
    try {
      return await this.store.rotateRefreshToken(usedHash, next, sessionExpiresAt);
    } finally {
      this.sessions.delete(next.sessionId);
    }
  }

  async revoke(id: string, reason: SessionRevocationReason, at: number): Promise<boolean> {
    this.sessions.delete(id);
    try {
      return await this.store.revoke(id, reason, at);
    } finally {
      this.sessions.delete(id);
    }
  }
}
