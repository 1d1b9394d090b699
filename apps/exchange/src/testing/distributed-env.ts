import { randomBytes, randomUUID } from 'node:crypto';
import { serviceUrl } from '@sd/testing/services';

/**
 * The environment of one distributed exchange under test: the real Kafka, PostgreSQL (the
 * test's own schema) and Redis, with topics and Redis keys of its own (`name` and a random
 * run id), the faucet on and shared auth keys. Callers add ROLES, DATA_DIR and the rest.
 */
export function distributedEnv(name: string, databaseUrl: string, services: { kafkaBrokers?: string } = {}): Record<string, string> {
  const run = randomUUID().slice(0, 8);
  return {
    EXCHANGE_MODE: 'distributed',
    KAFKA_BROKERS: services.kafkaBrokers ?? serviceUrl('kafka'),
    DATABASE_URL: databaseUrl,
    REDIS_URL: serviceUrl('redis'),
    REDIS_KEY_PREFIX: `sd:${name}:${run}:`,
    TOPIC_PREFIX: `${name}-${run}`,
    FAUCET: 'on',
    AUTH_TOKEN_SECRET: randomBytes(32).toString('base64'),
    AUTH_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  };
}
