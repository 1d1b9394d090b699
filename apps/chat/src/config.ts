import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { integer, logLevel, oneOf, required, serverConfigFromEnv, type LogLevel, type ServerConfig } from '@sd/app/env';
import { authAppConfigFromEnv, type AuthAppConfig } from '@sd/auth/auth-config';
import type { ChatMessageStoreConfig, ChatSettings } from '@sd/chat/module';
import type { RateLimitRule } from '@sd/domain/rate-limit';
import type { MqConfig } from '@sd/mq/mq.module';

export interface ChatConfig extends AuthAppConfig, ServerConfig {
  logLevel: LogLevel;
  /** Where messages live: the SQL database, or MongoDB (FerretDB). */
  store: ChatMessageStoreConfig;
  mq: MqConfig;
  /** The chat page's built files (vite), served at `/`; none when null. */
  webRoot: string | null;
  chat: Omit<ChatSettings, 'maxPageSize'> & { framesPerUser: RateLimitRule };
}

/**
 * Reads the config once at start-up and refuses bad values with a message naming them.
 * HOST, PORT (8082), METRICS_PORT, TRUST_PROXY, LOG_LEVEL, DATA_FILE, the auth prelude's variables (see
 * `authAppConfigFromEnv`: SQL, CACHE, AUTH=embedded|remote, AUTH_URL, ...), CHAT_STORE=sql|mongo
 * (MONGO_URL), MQ=memory|kafka (KAFKA_BROKERS; needed for more than one instance), CHAT_TOPIC,
 * CHAT_MAX_TEXT, CHAT_FRAMES_PER_10S, CHAT_DIRECT_MESSAGES=friends|requested, CHAT_MAX_CHANNELS,
 * CHAT_MAX_FRIENDS, INSTANCE_ID, WEB_ROOT (the built page; `dist/web` beside this file).
 */
export function chatConfigFromEnv(env: NodeJS.ProcessEnv): ChatConfig {
  const instanceId = env.INSTANCE_ID ?? randomUUID();
  return {
    ...serverConfigFromEnv(env, 8082),
    logLevel: logLevel(env),
    ...authAppConfigFromEnv(env, { redisKeyPrefix: 'sd:chat:', sqlFile: env.DATA_FILE, remote: true }),
    store: oneOf('CHAT_STORE', env.CHAT_STORE ?? 'sql', ['sql', 'mongo'] as const) === 'mongo' ? { kind: 'mongo', url: required(env, 'MONGO_URL', 'CHAT_STORE=mongo') } : { kind: 'sql' },
    mq:
      oneOf('MQ', env.MQ ?? 'memory', ['memory', 'kafka'] as const) === 'kafka'
        ? { kind: 'kafka', brokers: required(env, 'KAFKA_BROKERS', 'MQ=kafka').split(','), clientId: `chat-${instanceId}` }
        : { kind: 'memory' },
    webRoot: env.WEB_ROOT ?? resolve(__dirname, 'web'),
    chat: {
      topic: env.CHAT_TOPIC ?? 'chat.events',
      instanceId,
      maxTextLength: integer('CHAT_MAX_TEXT', env.CHAT_MAX_TEXT ?? '2000', 1, 10_000),
      framesPerUser: { limit: integer('CHAT_FRAMES_PER_10S', env.CHAT_FRAMES_PER_10S ?? '50', 1), windowMs: 10_000 },
      directMessages: oneOf('CHAT_DIRECT_MESSAGES', env.CHAT_DIRECT_MESSAGES ?? 'friends', ['friends', 'requested'] as const),
      maxChannelsPerUser: integer('CHAT_MAX_CHANNELS', env.CHAT_MAX_CHANNELS ?? '100', 1, 10_000),
      maxFriendsPerUser: integer('CHAT_MAX_FRIENDS', env.CHAT_MAX_FRIENDS ?? '1000', 1, 100_000),
      presenceIntervalMs: 5_000,
    },
  };
}
