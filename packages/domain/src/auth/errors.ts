import { DomainError } from '../errors';

/**
 * Every error the auth domain throws on purpose. Messages are safe to show: none says whether
 * an email has an account (except sign-up's, which must), none echoes a credential.
 */
export const authErrors = {
  unauthenticated: (): DomainError => new DomainError('AUTH.UNAUTHENTICATED', 'unauthenticated', 'authentication required'),
  invalidCredentials: (): DomainError =>
    new DomainError('AUTH.INVALID_CREDENTIALS', 'unauthenticated', 'incorrect email or password'),
  wrongPassword: (): DomainError => new DomainError('AUTH.WRONG_PASSWORD', 'invalid', 'the current password is incorrect'),
  /** Password reset by email: this exchange sends no email. */
  passwordResetUnavailable: (): DomainError =>
    new DomainError('AUTH.PASSWORD_RESET_UNAVAILABLE', 'forbidden', 'password reset is not available on this exchange: it sends no email; sign in and change your password from your profile, or ask the operator'),
  /** Uploading files (an avatar): this exchange stores none; a profile takes a photo URL. */
  uploadUnavailable: (): DomainError =>
    new DomainError('AUTH.UPLOAD_UNAVAILABLE', 'forbidden', 'uploading a photo is not available on this exchange: set your profile photo by its URL'),
  emailTaken: (): DomainError => new DomainError('AUTH.EMAIL_TAKEN', 'conflict', 'an account with this email already exists'),
  invalidToken: (): DomainError => new DomainError('AUTH.INVALID_TOKEN', 'unauthenticated', 'invalid access token'),
  tokenExpired: (): DomainError => new DomainError('AUTH.TOKEN_EXPIRED', 'unauthenticated', 'access token expired, refresh it'),
  sessionEnded: (): DomainError => new DomainError('AUTH.SESSION_ENDED', 'unauthenticated', 'session has ended, log in again'),
  invalidRefreshToken: (): DomainError =>
    new DomainError('AUTH.INVALID_REFRESH_TOKEN', 'unauthenticated', 'invalid or expired refresh token'),
  refreshTokenReused: (): DomainError =>
    new DomainError('AUTH.REFRESH_TOKEN_REUSED', 'unauthenticated', 'refresh token was already used; the session is revoked'),
  invalidApiKey: (): DomainError => new DomainError('AUTH.INVALID_API_KEY', 'unauthenticated', 'invalid API key or passphrase'),
  invalidSignature: (): DomainError => new DomainError('AUTH.INVALID_SIGNATURE', 'unauthenticated', 'invalid signature'),
  staleTimestamp: (windowSeconds: number): DomainError =>
    new DomainError('AUTH.STALE_TIMESTAMP', 'unauthenticated', `request timestamp is more than ${windowSeconds} s from server time`),
  permissionDenied: (permission: string): DomainError =>
    new DomainError('AUTH.PERMISSION_DENIED', 'forbidden', `this API key lacks the ${permission} permission`),
  sessionRequired: (): DomainError =>
    new DomainError('AUTH.SESSION_REQUIRED', 'forbidden', 'this action needs a logged-in session, not an API key'),
  apiKeyNotFound: (): DomainError => new DomainError('AUTH.API_KEY_NOT_FOUND', 'not_found', 'API key not found'),
  apiKeyLimit: (max: number): DomainError =>
    new DomainError('AUTH.API_KEY_LIMIT', 'conflict', `an account may hold at most ${max} API keys`),
  crossSite: (): DomainError =>
    new DomainError('AUTH.CROSS_SITE', 'forbidden', 'a cookie-authenticated request must come from this site; other clients authenticate with a bearer token or a signature'),
  unavailable: (cause: unknown): DomainError =>
    new DomainError('AUTH.UNAVAILABLE', 'unavailable', 'authentication is temporarily unavailable', { cause }),
};
