/**
 * A log-in. Access tokens name their session, and every authenticated request checks it in
 * the shared store, so a revoked session is refused on the next request by every instance.
 */
export interface Session {
  id: string;
  userId: string;
  /** Epoch milliseconds, like every time here. */
  createdAt: number;
  /** Sliding: each refresh moves it to refresh time + refresh token lifetime. */
  expiresAt: number;
  revokedAt: number | null;
  revokedReason: SessionRevocationReason | null;
}

export type SessionRevocationReason = 'logout' | 'refresh_reuse';

/**
 * One refresh token of a session, stored by hash only. A rotation marks it used and issues
 * the next one; presenting a used token again means it leaked, and revokes the session.
 */
export interface RefreshToken {
  tokenHash: string;
  sessionId: string;
  issuedAt: number;
  usedAt: number | null;
}

export interface SessionRepository {
  /** Stores a new session with its first refresh token. */
  create(session: Session, refreshToken: RefreshToken): Promise<void>;
  findById(id: string): Promise<Session | null>;
  findRefreshToken(tokenHash: string): Promise<RefreshToken | null>;
  /**
   * In one transaction: marks `usedHash` used at `next.issuedAt`, stores `next` and moves the
   * session's expiry, only if `usedHash` was still unused. False (nothing changed) when another
   * rotation already used it.
   */
  rotateRefreshToken(usedHash: string, next: RefreshToken, sessionExpiresAt: number): Promise<boolean>;
  /** Revokes a live session; false when it was already revoked or does not exist. */
  revoke(id: string, reason: SessionRevocationReason, at: number): Promise<boolean>;
}

export const SessionRepository = Symbol.for('sd.auth.SessionRepository');
