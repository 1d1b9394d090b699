import type { RateLimitRule } from '@sd/domain/rate-limit';
import { DEFAULT_SCRYPT, type ScryptParameters } from './password-hasher';

/** Epoch milliseconds; tests pass their own clock. */
export type Clock = () => number;

/** Everything the auth domain is configured with; apps build it from their typed config. */
export interface AuthSettings {
  /** HMAC-SHA256 key of access tokens: at least 32 bytes, shared by every instance. */
  tokenSigningKey: Uint8Array;
  /** AES-256-GCM key of API secrets at rest: exactly 32 bytes, shared by every instance. */
  apiKeyEncryptionKey: Uint8Array;
  accessTokenTtlSeconds: number;
  /** Sessions end this long after log-in or the last refresh. */
  refreshTokenTtlSeconds: number;
  /** Signed requests whose timestamp is further than this from server time are refused. */
  signatureWindowSeconds: number;
  scrypt: ScryptParameters;
  maxApiKeysPerUser: number;
  /** Mark the `accessToken` cookie Secure (behind HTTPS). */
  cookieSecure: boolean;
  rateLimits: {
    /** Every auth route, per client IP. */
    perIp: RateLimitRule;
    /** Sign-up, log-in and refresh (each costs a password hash or a token), per client IP. */
    credentialsPerIp: RateLimitRule;
    /** Authenticated routes, per user. */
    perUser: RateLimitRule;
  };
}

export type AuthKeys = Pick<AuthSettings, 'tokenSigningKey' | 'apiKeyEncryptionKey'>;

export const defaultAuthSettings: Omit<AuthSettings, keyof AuthKeys> = {
  accessTokenTtlSeconds: 15 * 60,
  refreshTokenTtlSeconds: 30 * 24 * 3600,
  signatureWindowSeconds: 30,
  scrypt: DEFAULT_SCRYPT,
  maxApiKeysPerUser: 20,
  cookieSecure: false,
  rateLimits: {
    perIp: { limit: 600, windowMs: 60_000 },
    credentialsPerIp: { limit: 20, windowMs: 60_000 },
    perUser: { limit: 300, windowMs: 60_000 },
  },
};

/** The defaults with `overrides`, checked: a bad key length or TTL fails at start-up. */
export function authSettings(keys: AuthKeys, overrides: Partial<Omit<AuthSettings, keyof AuthKeys>> = {}): AuthSettings {
  const settings: AuthSettings = { ...defaultAuthSettings, ...overrides, ...keys };
  if (settings.tokenSigningKey.length < 32) throw new Error('the token signing key must be at least 32 bytes');
  if (settings.apiKeyEncryptionKey.length !== 32) throw new Error('the API key encryption key must be exactly 32 bytes');
  for (const name of ['accessTokenTtlSeconds', 'refreshTokenTtlSeconds', 'signatureWindowSeconds', 'maxApiKeysPerUser'] as const) {
    if (!Number.isSafeInteger(settings[name]) || settings[name] <= 0) throw new Error(`${name} must be a positive integer`);
  }
  return settings;
}
