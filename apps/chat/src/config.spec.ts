import { chatConfigFromEnv } from './config';

describe('chatConfigFromEnv', () => {
  it('defaults to embedded SQL, memory MQ and cache, two channels', () => {
    expect(chatConfigFromEnv({})).toMatchObject({ sql: { kind: 'embedded' }, store: { kind: 'sql' }, mq: { kind: 'memory' }, keys: { kind: 'ephemeral' }, chat: { channels: ['general', 'random'], topic: 'chat.events' } });
  });

  it('reads Kafka, MongoDB and PostgreSQL', () => {
    const key = Buffer.alloc(32, 1).toString('base64');
    const config = chatConfigFromEnv({
      SQL: 'postgres', DATABASE_URL: 'postgres://db/x', CHAT_STORE: 'mongo', MONGO_URL: 'mongodb://m/', MQ: 'kafka', KAFKA_BROKERS: 'k1:9092,k2:9092',
      AUTH_TOKEN_SECRET: key, AUTH_ENCRYPTION_KEY: key, INSTANCE_ID: 'a1', CHAT_CHANNELS: 'ops, dev',
    });
    expect(config).toMatchObject({ store: { kind: 'mongo', url: 'mongodb://m/' }, mq: { kind: 'kafka', brokers: ['k1:9092', 'k2:9092'], clientId: 'chat-a1' }, chat: { channels: ['ops', 'dev'], instanceId: 'a1' } });
  });

  it.each([
    [{ MQ: 'rabbit' }, 'MQ must be one of memory, kafka, not rabbit'],
    [{ MQ: 'kafka' }, 'KAFKA_BROKERS is required with MQ=kafka'],
    [{ CHAT_STORE: 'mongo' }, 'MONGO_URL is required with CHAT_STORE=mongo'],
    [{ CHAT_CHANNELS: 'ok,Not Ok' }, 'CHAT_CHANNELS: "Not Ok" is not a channel name'],
    [{ CHAT_MAX_TEXT: '0' }, 'CHAT_MAX_TEXT must be an integer in 1..10000, not 0'],
    [{ SQL: 'postgres', DATABASE_URL: 'postgres://db/x' }, 'AUTH_TOKEN_SECRET and AUTH_ENCRYPTION_KEY are required with SQL=postgres'],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => chatConfigFromEnv(env)).toThrow(message);
  });
});
