import { resolve } from 'node:path';
import { configurationDrift } from '@sd/app/testing/env-reads';
import { chatConfigFromEnv } from './config';

describe('chatConfigFromEnv', () => {
  it('defaults to embedded SQL and auth, memory MQ and cache, friends-only direct messages', () => {
    expect(chatConfigFromEnv({})).toMatchObject({
      sql: { kind: 'embedded' },
      store: { kind: 'sql' },
      mq: { kind: 'memory' },
      auth: { kind: 'embedded', keys: { kind: 'ephemeral' } },
      webRoot: expect.stringMatching(/web$/),
      chat: { topic: 'chat.events', directMessages: 'friends', maxChannelsPerUser: 100, maxFriendsPerUser: 1000 },
    });
  });

  it('reads Kafka, MongoDB, PostgreSQL and the remote user service', () => {
    const config = chatConfigFromEnv({
      SQL: 'postgres', DATABASE_URL: 'postgres://db/x', CHAT_STORE: 'mongo', MONGO_URL: 'mongodb://m/', MQ: 'kafka', KAFKA_BROKERS: 'k1:9092,k2:9092',
      AUTH: 'remote', AUTH_URL: 'http://user:8081', INSTANCE_ID: 'a1', CHAT_DIRECT_MESSAGES: 'requested', WEB_ROOT: '/srv/chat',
    });
    expect(config).toMatchObject({
      store: { kind: 'mongo', url: 'mongodb://m/' },
      mq: { kind: 'kafka', brokers: ['k1:9092', 'k2:9092'], clientId: 'chat-a1' },
      auth: { kind: 'remote', url: 'http://user:8081' },
      webRoot: '/srv/chat',
      chat: { instanceId: 'a1', directMessages: 'requested' },
    });
  });

  it.each([
    [{ MQ: 'rabbit' }, 'MQ must be one of memory, kafka, not rabbit'],
    [{ MQ: 'kafka' }, 'KAFKA_BROKERS is required with MQ=kafka'],
    [{ CHAT_STORE: 'mongo' }, 'MONGO_URL is required with CHAT_STORE=mongo'],
    [{ CHAT_MAX_TEXT: '0' }, 'CHAT_MAX_TEXT must be an integer in 1..10000, not 0'],
    [{ CHAT_DIRECT_MESSAGES: 'anyone' }, 'CHAT_DIRECT_MESSAGES must be one of friends, requested, not anyone'],
    [{ SQL: 'postgres', DATABASE_URL: 'postgres://db/x' }, 'AUTH_TOKEN_SECRET and AUTH_ENCRYPTION_KEY are required with SQL=postgres'],
    [{ AUTH: 'remote' }, 'AUTH_URL is required with AUTH=remote'],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => chatConfigFromEnv(env)).toThrow(message);
  });
});

describe('docs/configuration.md', () => {
  it('lists every variable chatConfigFromEnv reads, through every function it calls, and no other', () => {
    const root = resolve(__dirname, '../../..');
    expect(configurationDrift({ root, appDir: 'apps/chat', reader: 'chatConfigFromEnv' })).toEqual({ undocumented: [], stale: [], unresolved: [] });
  }, 60_000);
});
