import { integer, logLevel, oneOf, serverConfigFromEnv, type LogLevel, type ServerConfig } from '@sd/app/env';
import { authAppConfigFromEnv, type AuthAppConfig } from '@sd/auth/auth-config';
import type { RateLimitRule } from '@sd/domain/rate-limit';

export interface UrlShortenerConfig extends AuthAppConfig, ServerConfig {
  logLevel: LogLevel;
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
 * HOST, PORT (8083), METRICS_PORT, TRUST_PROXY, LOG_LEVEL, DATA_FILE (the embedded database; in memory without), the auth
 * prelude's variables (see `authAppConfigFromEnv`: SQL, CACHE, AUTH=embedded|remote, AUTH_URL, ...),
 * REDIRECT_STATUS=302|301, PUBLIC_URL, LINKS_PER_MINUTE_PER_USER, LINKS_PER_MINUTE_PER_IP,
 * HIT_FLUSH_INTERVAL_MS, LINK_CACHE_TTL_MS.
 */
export function urlShortenerConfigFromEnv(env: NodeJS.ProcessEnv): UrlShortenerConfig {
  const publicUrl = env.PUBLIC_URL ? httpUrl('PUBLIC_URL', env.PUBLIC_URL) : undefined;
  return {
    ...serverConfigFromEnv(env, 8083),
    logLevel: logLevel(env),
    ...authAppConfigFromEnv(env, { redisKeyPrefix: 'sd:url:', sqlFile: env.DATA_FILE, remote: true }),
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
