import { randomUUID } from 'node:crypto';
import { authErrors } from '@sd/domain/auth/errors';
import type { Principal } from '@sd/domain/auth/principal';
import type { SessionRepository } from '@sd/domain/auth/session';
import type { User, UserProfile, UserRepository } from '@sd/domain/auth/user';
import type { Logger } from '@sd/domain/logger';
import type { AccessTokenCodec } from './access-token';
import type { AuthSettings, Clock } from './auth-settings';
import type { PasswordHasher } from './password-hasher';
import { randomToken, sha256Hex } from './tokens';
import { parseCredentials, parsePasswordChange, parseProfile, parseRefreshToken } from './validation';

export interface AccountView extends UserProfile {
  id: string;
  email: string;
  createdAt: number;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresInSeconds: number;
  tokenType: 'Bearer';
}

/**
 * Sign-up, log-in, refresh, log-out, current user. A log-in opens a session; its access
 * tokens are short-lived and name the session, its refresh tokens are single-use and rotate.
 * Nothing here logs a password, hash or token.
 */
export class AccountUseCase {
  constructor(
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly hasher: PasswordHasher,
    private readonly tokens: AccessTokenCodec,
    private readonly settings: Pick<AuthSettings, 'accessTokenTtlSeconds' | 'refreshTokenTtlSeconds'>,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async signUp(body: unknown): Promise<AccountView> {
    const { email, password } = parseCredentials(body, { forSignUp: true });
    if (await this.users.findByEmail(email)) throw authErrors.emailTaken();
    const user = { id: randomUUID(), email, passwordHash: await this.hasher.hash(password), createdAt: this.clock(), name: null, profilePhotoUrl: null };
    if (!(await this.users.create(user))) throw authErrors.emailTaken(); // lost a race on the unique email
    this.logger.info({ userId: user.id }, 'user signed up');
    return accountView(user);
  }

  /** Refuses unknown emails and wrong passwords alike, in the same time. */
  async logIn(body: unknown): Promise<TokenPair> {
    const { email, password } = parseCredentials(body, { forSignUp: false });
    const user = await this.users.findByEmail(email);
    const valid = user ? await this.hasher.verify(password, user.passwordHash) : await this.hasher.verifyNothing(password);
    if (!user || !valid) throw authErrors.invalidCredentials();
    const now = this.clock();
    const session = { id: randomUUID(), userId: user.id, createdAt: now, expiresAt: this.sessionExpiry(now), revokedAt: null, revokedReason: null };
    const refreshToken = randomToken('rt');
    await this.sessions.create(session, { tokenHash: sha256Hex(refreshToken), sessionId: session.id, issuedAt: now, usedAt: null });
    this.logger.info({ userId: user.id, sessionId: session.id }, 'user logged in');
    return this.pair(user.id, session.id, refreshToken, now);
  }

  /**
   * Trades a refresh token for a new pair. Each refresh token works once: presenting a used
   * one again means it leaked, so the whole session is revoked (its access tokens included).
   */
  async refresh(body: unknown): Promise<TokenPair> {
    const presented = parseRefreshToken(body);
    const record = await this.sessions.findRefreshToken(sha256Hex(presented));
    if (!record) throw authErrors.invalidRefreshToken();
    const now = this.clock();
    const session = await this.sessions.findById(record.sessionId);
    if (!session || session.revokedAt !== null || session.expiresAt <= now) throw authErrors.invalidRefreshToken();
    const next = randomToken('rt');
    const rotated =
      record.usedAt === null &&
      (await this.sessions.rotateRefreshToken(
        record.tokenHash,
        { tokenHash: sha256Hex(next), sessionId: session.id, issuedAt: now, usedAt: null },
        this.sessionExpiry(now),
      ));
    if (!rotated) {
      await this.sessions.revoke(session.id, 'refresh_reuse', now);
      this.logger.warn({ userId: session.userId, sessionId: session.id }, 'refresh token reused; session revoked');
      throw authErrors.refreshTokenReused();
    }
    return this.pair(session.userId, session.id, next, now);
  }

  async logOut(principal: Principal): Promise<void> {
    if (principal.method !== 'session') throw authErrors.sessionRequired();
    await this.sessions.revoke(principal.sessionId, 'logout', this.clock());
    this.logger.info({ userId: principal.userId, sessionId: principal.sessionId }, 'user logged out');
  }

  async currentUser(principal: Principal): Promise<AccountView> {
    const user = await this.users.findById(principal.userId);
    if (!user) throw authErrors.sessionEnded();
    return accountView(user);
  }

  /** Needs the current password, from a logged-in session (not an API key). */
  async changePassword(principal: Principal, body: unknown): Promise<void> {
    if (principal.method !== 'session') throw authErrors.sessionRequired();
    const { currentPassword, newPassword } = parsePasswordChange(body);
    const user = await this.users.findById(principal.userId);
    if (!user) throw authErrors.sessionEnded();
    if (!(await this.hasher.verify(currentPassword, user.passwordHash))) throw authErrors.wrongPassword();
    if (!(await this.users.updatePasswordHash(user.id, await this.hasher.hash(newPassword)))) throw authErrors.sessionEnded();
    this.logger.info({ userId: user.id }, 'password changed');
  }

  /** Sets the display name and/or avatar URL, from a logged-in session (not an API key). */
  async updateProfile(principal: Principal, body: unknown): Promise<AccountView> {
    if (principal.method !== 'session') throw authErrors.sessionRequired();
    if (!(await this.users.updateProfile(principal.userId, parseProfile(body)))) throw authErrors.sessionEnded();
    return this.currentUser(principal);
  }

  private pair(userId: string, sessionId: string, refreshToken: string, now: number): TokenPair {
    const ttlSeconds = this.settings.accessTokenTtlSeconds;
    const { token } = this.tokens.issue({ userId, sessionId, issuedAtMs: now, ttlSeconds });
    return { accessToken: token, refreshToken, expiresInSeconds: ttlSeconds, tokenType: 'Bearer' };
  }

  private sessionExpiry(now: number): number {
    return now + this.settings.refreshTokenTtlSeconds * 1000;
  }
}

const accountView = ({ id, email, createdAt, name, profilePhotoUrl }: User): AccountView => ({ id, email, createdAt, name, profilePhotoUrl });
