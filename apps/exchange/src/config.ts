import type { MqConfig } from '@sd/mq/mq.module';

export interface ExchangeConfig {
  http: { host: string; port: number };
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  mq: MqConfig;
}

/** Reads the config once at start-up and refuses bad values with a message naming them. */
export function exchangeConfigFromEnv(env: NodeJS.ProcessEnv): ExchangeConfig {
  const mode = env.EXCHANGE_MODE ?? 'embedded';
  if (mode !== 'embedded' && mode !== 'distributed') throw new Error(`EXCHANGE_MODE must be embedded or distributed, not ${mode}`);
  return {
    http: { host: env.HOST ?? '127.0.0.1', port: port(env.PORT ?? '8080') },
    logLevel: oneOf('LOG_LEVEL', env.LOG_LEVEL ?? 'info', ['debug', 'info', 'warn', 'error', 'silent'] as const),
    mq: mode === 'embedded' ? { kind: 'memory' } : { kind: 'kafka', brokers: required(env, 'KAFKA_BROKERS').split(','), clientId: 'exchange' },
  };
}

function port(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) throw new Error(`PORT must be an integer in 0..65535, not ${value}`);
  return parsed;
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new Error(`${name} must be one of ${allowed.join(', ')}, not ${value}`);
  return value as T;
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is required in distributed mode`);
  return value;
}
