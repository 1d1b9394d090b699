import { resolve } from 'node:path';
import { logLevel, oneOf, port, positiveInteger, required, type LogLevel } from '@sd/app/env';
import { authKeysFromEnv, type AuthKeysConfig } from '@sd/auth/auth-keys';
import type { AuthSettings } from '@sd/auth/usecase/auth-settings';
import type { CacheConfig } from '@sd/cache/cache.module';
import type { SqlConfig } from '@sd/orm/sql-database';
import type { RateLimiterConfig } from '@sd/ratelimit/ratelimit.module';

export interface UserConfig {
  http: { host: string; port: number };
  logLevel: LogLevel;
  sql: SqlConfig;
  cache: CacheConfig;
  rateLimiter: RateLimiterConfig;
  keys: AuthKeysConfig;
  auth: Partial<Omit<AuthSettings, 'tokenSigningKey' | 'apiKeyEncryptionKey'>>;
}

/** Default data directory: `<repo>/var/user` (ignored by git). */
const defaultDataDir = resolve(__dirname, '../../../var/user');

/**
 * Reads the config once at start-up and refuses bad values with a message naming them.
 * SQL=embedded|postgres (DATABASE_URL), CACHE=memory|redis (REDIS_URL; the rate limiter follows),
 * AUTH_TOKEN_SECRET / AUTH_ENCRYPTION_KEY (base64; required with PostgreSQL, where instances share them).
 */
export function userConfigFromEnv(env: NodeJS.ProcessEnv): UserConfig {
  const dataDir = resolve(env.DATA_DIR ?? defaultDataDir);
  const sqlKind = oneOf('SQL', env.SQL ?? 'embedded', ['embedded', 'postgres'] as const);
  const cacheKind = oneOf('CACHE', env.CACHE ?? 'memory', ['memory', 'redis'] as const);
  const keyPrefix = env.REDIS_KEY_PREFIX ?? 'sd:user:';
  const redis = cacheKind === 'redis' ? { kind: 'redis' as const, url: required(env, 'REDIS_URL', 'CACHE=redis'), keyPrefix } : undefined;
  return {
    http: { host: env.HOST ?? '127.0.0.1', port: port(env.PORT ?? '8081') },
    logLevel: logLevel(env),
    sql: sqlKind === 'postgres' ? { kind: 'postgres', url: required(env, 'DATABASE_URL', 'SQL=postgres') } : { kind: 'embedded', file: resolve(dataDir, 'user.sqlite') },
    cache: redis ?? { kind: 'memory' },
    rateLimiter: redis ?? { kind: 'memory' },
    keys: authKeysFromEnv(env, { shared: sqlKind === 'postgres', because: 'SQL=postgres', file: resolve(dataDir, 'auth-keys.json') }),
    auth: {
      ...(env.ACCESS_TOKEN_TTL_SECONDS && { accessTokenTtlSeconds: positiveInteger('ACCESS_TOKEN_TTL_SECONDS', env.ACCESS_TOKEN_TTL_SECONDS) }),
      ...(env.REFRESH_TOKEN_TTL_SECONDS && { refreshTokenTtlSeconds: positiveInteger('REFRESH_TOKEN_TTL_SECONDS', env.REFRESH_TOKEN_TTL_SECONDS) }),
      ...(env.COOKIE_SECURE && { cookieSecure: oneOf('COOKIE_SECURE', env.COOKIE_SECURE, ['true', 'false'] as const) === 'true' }),
    },
  };
}
