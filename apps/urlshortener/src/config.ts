import { integer, logLevel, oneOf, port, required, type LogLevel } from '@sd/app/env';
import { authKeysFromEnv, type AuthKeysConfig } from '@sd/auth/auth-keys';
import type { AuthSettings } from '@sd/auth/usecase/auth-settings';
import type { CacheConfig } from '@sd/cache/cache.module';
import type { RateLimitRule } from '@sd/domain/rate-limit';
import type { SqlConfig } from '@sd/orm/sql-database';
import type { RateLimiterConfig } from '@sd/ratelimit/ratelimit.module';

export interface UrlShortenerConfig {
  http: { host: string; port: number };
  logLevel: LogLevel;
  sql: SqlConfig;
  cache: CacheConfig;
  rateLimiter: RateLimiterConfig;
  keys: AuthKeysConfig;
  auth: Partial<Omit<AuthSettings, 'tokenSigningKey' | 'apiKeyEncryptionKey'>>;
  links: {
    redirectStatus: 301 | 302;
    publicUrl?: string;
    createPerUser: RateLimitRule;
    createPerIp: RateLimitRule;
    hitFlushIntervalMs: number;
    cacheTtlMs: number;
  };
}

/**
 * Reads the config once at start-up and refuses bad values with a message naming them.
 * SQL=embedded|postgres (DATABASE_URL), CACHE=memory|redis (REDIS_URL; the rate limiter follows),
 * AUTH_TOKEN_SECRET / AUTH_ENCRYPTION_KEY (base64; required with PostgreSQL), REDIRECT_STATUS=302|301,
 * PUBLIC_URL, LINKS_PER_MINUTE_PER_USER, LINKS_PER_MINUTE_PER_IP, HIT_FLUSH_INTERVAL_MS, LINK_CACHE_TTL_MS.
 */
export function urlShortenerConfigFromEnv(env: NodeJS.ProcessEnv): UrlShortenerConfig {
  const sqlKind = oneOf('SQL', env.SQL ?? 'embedded', ['embedded', 'postgres'] as const);
  const cacheKind = oneOf('CACHE', env.CACHE ?? 'memory', ['memory', 'redis'] as const);
  const redis = cacheKind === 'redis' ? { kind: 'redis' as const, url: required(env, 'REDIS_URL', 'CACHE=redis'), keyPrefix: env.REDIS_KEY_PREFIX ?? 'sd:url:' } : undefined;
  const publicUrl = env.PUBLIC_URL ? httpUrl('PUBLIC_URL', env.PUBLIC_URL) : undefined;
  return {
    http: { host: env.HOST ?? '127.0.0.1', port: port(env.PORT ?? '8083') },
    logLevel: logLevel(env),
    sql: sqlKind === 'postgres' ? { kind: 'postgres', url: required(env, 'DATABASE_URL', 'SQL=postgres') } : { kind: 'embedded', ...(env.DATA_FILE && { file: env.DATA_FILE }) },
    cache: redis ?? { kind: 'memory' },
    rateLimiter: redis ?? { kind: 'memory' },
    keys: authKeysFromEnv(env, { shared: sqlKind === 'postgres', because: 'SQL=postgres' }),
    auth: {},
    links: {
      redirectStatus: Number(oneOf('REDIRECT_STATUS', env.REDIRECT_STATUS ?? '302', ['301', '302'] as const)) as 301 | 302,
      ...(publicUrl && { publicUrl }),
      createPerUser: { limit: integer('LINKS_PER_MINUTE_PER_USER', env.LINKS_PER_MINUTE_PER_USER ?? '30', 1), windowMs: 60_000 },
      createPerIp: { limit: integer('LINKS_PER_MINUTE_PER_IP', env.LINKS_PER_MINUTE_PER_IP ?? '60', 1), windowMs: 60_000 },
      hitFlushIntervalMs: integer('HIT_FLUSH_INTERVAL_MS', env.HIT_FLUSH_INTERVAL_MS ?? '1000', 10),
      cacheTtlMs: integer('LINK_CACHE_TTL_MS', env.LINK_CACHE_TTL_MS ?? '300000', 1),
    },
  };
}

function httpUrl(name: string, value: string): string {
  if (!/^https?:\/\/[^/\s]+$/.test(value)) throw new Error(`${name} must be a scheme and host without a path, like https://sho.rt, not ${value}`);
  return value;
}
