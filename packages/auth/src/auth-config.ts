import { integer, oneOf, positiveInteger, required } from '@sd/app/env';
import type { CacheConfig } from '@sd/cache/cache.module';
import type { SqlConfig } from '@sd/orm/sql-database';
import type { RateLimiterConfig } from '@sd/ratelimit/ratelimit.module';
import { authKeysFromEnv, type AuthKeysConfig } from './auth-keys';
import type { AuthKeys, AuthSettings } from './usecase/auth-settings';

/** The auth domain in this process, on the app's database; or the user service, asked over HTTP. */
export type AuthConfig = EmbeddedAuthConfig | RemoteAuthConfig;

export interface EmbeddedAuthConfig {
  kind: 'embedded';
  keys: AuthKeysConfig;
  settings: Partial<Omit<AuthSettings, keyof AuthKeys>>;
  /** `local` keeps sessions in process memory: only for a store this process alone writes. */
  sessionCache?: 'local' | 'none';
}

export interface RemoteAuthConfig {
  kind: 'remote';
  /** The user app's base URL. */
  url: string;
  timeoutMs: number;
  cacheTtlMs: number;
}

/** What every app that authenticates starts with: its SQL database, cache, rate limiter and auth. */
export interface AuthAppConfig {
  sql: SqlConfig;
  cache: CacheConfig;
  rateLimiter: RateLimiterConfig;
  auth: AuthConfig;
}

export interface AuthAppEnvOptions {
  /** Key prefix in a shared Redis (REDIS_KEY_PREFIX overrides it). */
  redisKeyPrefix: string;
  /** The embedded database file; in memory without one. */
  sqlFile?: string;
  /** Where the embedded default keeps generated development keys; random per process without one. */
  keysFile?: string;
  /** Whether AUTH=remote is offered (the user app is the auth service itself). */
  remote: boolean;
}

/**
 * Reads the prelude's environment once and refuses bad values naming them.
 * SQL=embedded|postgres (DATABASE_URL); CACHE=memory|redis (REDIS_URL, REDIS_KEY_PREFIX; the rate
 * limiter follows). AUTH=embedded|remote: embedded takes AUTH_TOKEN_SECRET / AUTH_ENCRYPTION_KEY
 * (base64; required with PostgreSQL, where instances share them), ACCESS_TOKEN_TTL_SECONDS,
 * REFRESH_TOKEN_TTL_SECONDS, COOKIE_SECURE; remote takes AUTH_URL, AUTH_TIMEOUT_MS (2000) and
 * AUTH_CACHE_TTL_MS (5000).
 */
export function authAppConfigFromEnv(env: NodeJS.ProcessEnv, options: AuthAppEnvOptions & { remote: false }): AuthAppConfig & { auth: EmbeddedAuthConfig };
export function authAppConfigFromEnv(env: NodeJS.ProcessEnv, options: AuthAppEnvOptions): AuthAppConfig;
export function authAppConfigFromEnv(env: NodeJS.ProcessEnv, options: AuthAppEnvOptions): AuthAppConfig {
  const sqlKind = oneOf('SQL', env.SQL ?? 'embedded', ['embedded', 'postgres'] as const);
  const cacheKind = oneOf('CACHE', env.CACHE ?? 'memory', ['memory', 'redis'] as const);
  const redis =
    cacheKind === 'redis' ? { kind: 'redis' as const, url: required(env, 'REDIS_URL', 'CACHE=redis'), keyPrefix: env.REDIS_KEY_PREFIX ?? options.redisKeyPrefix } : undefined;
  const authKind = oneOf('AUTH', env.AUTH ?? 'embedded', options.remote ? (['embedded', 'remote'] as const) : (['embedded'] as const));
  return {
    sql: sqlKind === 'postgres' ? { kind: 'postgres', url: required(env, 'DATABASE_URL', 'SQL=postgres') } : { kind: 'embedded', ...(options.sqlFile && { file: options.sqlFile }) },
    cache: redis ?? { kind: 'memory' },
    rateLimiter: redis ?? { kind: 'memory' },
    auth:
      authKind === 'remote'
        ? {
            kind: 'remote',
            url: serviceUrl('AUTH_URL', required(env, 'AUTH_URL', 'AUTH=remote')),
            timeoutMs: integer('AUTH_TIMEOUT_MS', env.AUTH_TIMEOUT_MS ?? '2000', 1, 60_000),
            cacheTtlMs: integer('AUTH_CACHE_TTL_MS', env.AUTH_CACHE_TTL_MS ?? '5000', 0, 300_000),
          }
        : {
            kind: 'embedded',
            keys: authKeysFromEnv(env, { shared: sqlKind === 'postgres', because: 'SQL=postgres', file: options.keysFile }),
            settings: {
              ...(env.ACCESS_TOKEN_TTL_SECONDS && { accessTokenTtlSeconds: positiveInteger('ACCESS_TOKEN_TTL_SECONDS', env.ACCESS_TOKEN_TTL_SECONDS) }),
              ...(env.REFRESH_TOKEN_TTL_SECONDS && { refreshTokenTtlSeconds: positiveInteger('REFRESH_TOKEN_TTL_SECONDS', env.REFRESH_TOKEN_TTL_SECONDS) }),
              ...(env.COOKIE_SECURE && { cookieSecure: oneOf('COOKIE_SECURE', env.COOKIE_SECURE, ['true', 'false'] as const) === 'true' }),
            },
          },
  };
}

function serviceUrl(name: string, value: string): string {
  if (!/^https?:\/\/[^/\s]+\/?$/.test(value)) throw new Error(`${name} must be a scheme and host (and port) without a path, like http://user:8081, not ${value}`);
  return value.replace(/\/$/, '');
}
