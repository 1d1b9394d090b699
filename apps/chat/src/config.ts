import { randomUUID } from 'node:crypto';
import { integer, logLevel, oneOf, port, required, type LogLevel } from '@sd/app/env';
import { authKeysFromEnv, type AuthKeysConfig } from '@sd/auth/auth-keys';
import type { AuthSettings } from '@sd/auth/usecase/auth-settings';
import type { CacheConfig } from '@sd/cache/cache.module';
import type { RateLimitRule } from '@sd/domain/rate-limit';
import type { MqConfig } from '@sd/mq/mq.module';
import type { SqlConfig } from '@sd/orm/sql-database';
import type { RateLimiterConfig } from '@sd/ratelimit/ratelimit.module';

export interface ChatConfig {
  http: { host: string; port: number };
  logLevel: LogLevel;
  sql: SqlConfig;
  /** Where messages live: the SQL database, or MongoDB (FerretDB). */
  store: { kind: 'sql' } | { kind: 'mongo'; url: string };
  mq: MqConfig;
  cache: CacheConfig;
  rateLimiter: RateLimiterConfig;
  keys: AuthKeysConfig;
  auth: Partial<Omit<AuthSettings, 'tokenSigningKey' | 'apiKeyEncryptionKey'>>;
  chat: { channels: string[]; topic: string; instanceId: string; maxTextLength: number; framesPerUser: RateLimitRule; presenceIntervalMs: number };
}

/**
 * Reads the config once at start-up and refuses bad values with a message naming them.
 * SQL=embedded|postgres (DATABASE_URL), CHAT_STORE=sql|mongo (MONGO_URL), MQ=memory|kafka
 * (KAFKA_BROKERS; needed for more than one instance), CACHE=memory|redis (REDIS_URL),
 * AUTH_TOKEN_SECRET / AUTH_ENCRYPTION_KEY (base64; required with PostgreSQL), CHAT_CHANNELS
 * (comma-separated), CHAT_TOPIC, CHAT_MAX_TEXT, CHAT_FRAMES_PER_10S, INSTANCE_ID.
 */
export function chatConfigFromEnv(env: NodeJS.ProcessEnv): ChatConfig {
  const sqlKind = oneOf('SQL', env.SQL ?? 'embedded', ['embedded', 'postgres'] as const);
  const cacheKind = oneOf('CACHE', env.CACHE ?? 'memory', ['memory', 'redis'] as const);
  const redis = cacheKind === 'redis' ? { kind: 'redis' as const, url: required(env, 'REDIS_URL', 'CACHE=redis'), keyPrefix: env.REDIS_KEY_PREFIX ?? 'sd:chat:' } : undefined;
  const instanceId = env.INSTANCE_ID ?? randomUUID();
  const channels = (env.CHAT_CHANNELS ?? 'general,random').split(',').map((name) => name.trim());
  for (const name of channels) if (!/^[a-z0-9][a-z0-9_-]{0,31}$/.test(name)) throw new Error(`CHAT_CHANNELS: ${JSON.stringify(name)} is not a channel name (a-z, 0-9, - and _, at most 32)`);
  return {
    http: { host: env.HOST ?? '127.0.0.1', port: port(env.PORT ?? '8082') },
    logLevel: logLevel(env),
    sql: sqlKind === 'postgres' ? { kind: 'postgres', url: required(env, 'DATABASE_URL', 'SQL=postgres') } : { kind: 'embedded', ...(env.DATA_FILE && { file: env.DATA_FILE }) },
    store: oneOf('CHAT_STORE', env.CHAT_STORE ?? 'sql', ['sql', 'mongo'] as const) === 'mongo' ? { kind: 'mongo', url: required(env, 'MONGO_URL', 'CHAT_STORE=mongo') } : { kind: 'sql' },
    mq:
      oneOf('MQ', env.MQ ?? 'memory', ['memory', 'kafka'] as const) === 'kafka'
        ? { kind: 'kafka', brokers: required(env, 'KAFKA_BROKERS', 'MQ=kafka').split(','), clientId: `chat-${instanceId}` }
        : { kind: 'memory' },
    cache: redis ?? { kind: 'memory' },
    rateLimiter: redis ?? { kind: 'memory' },
    keys: authKeysFromEnv(env, { shared: sqlKind === 'postgres', because: 'SQL=postgres' }),
    auth: {},
    chat: {
      channels,
      topic: env.CHAT_TOPIC ?? 'chat.events',
      instanceId,
      maxTextLength: integer('CHAT_MAX_TEXT', env.CHAT_MAX_TEXT ?? '2000', 1, 10_000),
      framesPerUser: { limit: integer('CHAT_FRAMES_PER_10S', env.CHAT_FRAMES_PER_10S ?? '50', 1), windowMs: 10_000 },
      presenceIntervalMs: 5_000,
    },
  };
}
