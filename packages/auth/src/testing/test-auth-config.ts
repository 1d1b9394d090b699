import { randomBytes } from 'node:crypto';
import type { LogLevel, ServerConfig } from '@sd/app/env';
import type { AuthAppConfig, EmbeddedAuthConfig } from '../auth-config';
import type { AuthKeysConfig } from '../auth-keys';
import type { AuthSettings } from '../usecase/auth-settings';

/** Cheap scrypt, so a suite that signs up many users stays fast; never for production. */
export const TEST_SCRYPT: AuthSettings['scrypt'] = { cost: 2 ** 10, blockSize: 8, parallelization: 1 };

/** Fresh random keys per test app, configured rather than generated. */
export function testAuthKeys(): AuthKeysConfig {
  return { kind: 'configured', tokenSigningKey: randomBytes(32), apiKeyEncryptionKey: randomBytes(32) };
}

/** The auth part of an app's test config: cheap scrypt, limits no test reaches unless it sets its own. */
export function testAuthSettings(overrides: Partial<Omit<AuthSettings, 'tokenSigningKey' | 'apiKeyEncryptionKey'>> = {}): Partial<Omit<AuthSettings, 'tokenSigningKey' | 'apiKeyEncryptionKey'>> {
  const generous = { limit: 10_000, windowMs: 60_000 };
  return { scrypt: TEST_SCRYPT, rateLimits: { perIp: generous, credentialsPerIp: generous, perUser: generous }, ...overrides };
}

/** An app's embedded auth for tests: fresh keys and `testAuthSettings`. */
export function testAuthConfig(settings: Partial<Omit<AuthSettings, 'tokenSigningKey' | 'apiKeyEncryptionKey'>> = {}): EmbeddedAuthConfig {
  return { kind: 'embedded', keys: testAuthKeys(), settings: testAuthSettings(settings) };
}

/**
 * What an app that authenticates runs on in tests: loopback with ports the OS picks, silent
 * logs, embedded SQL, memory cache and rate limiter, and `testAuthConfig(settings)`.
 */
export function testAuthAppConfig(settings: Parameters<typeof testAuthConfig>[0] = {}): ServerConfig & AuthAppConfig & { logLevel: LogLevel; auth: EmbeddedAuthConfig } {
  return {
    http: { host: '127.0.0.1', port: 0 },
    metrics: { host: '127.0.0.1', port: 0 },
    trustProxy: ['loopback'],
    logLevel: 'silent',
    sql: { kind: 'embedded' },
    cache: { kind: 'memory' },
    rateLimiter: { kind: 'memory' },
    auth: testAuthConfig(settings),
  };
}
