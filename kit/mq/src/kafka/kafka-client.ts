import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { Logger } from '@sd/domain/logger';

/**
 * A kafkajs client whose warnings and errors go to `logger` (nowhere without one), not to the
 * console. `retries` replaces kafkajs's default of 5 (with backoff, about ten seconds to give up).
 */
export function kafkaClient(options: { clientId: string; brokers: readonly string[]; logger?: Logger; retries?: number }): Kafka {
  const { logger } = options;
  const log = ({ level, log: { message, ...fields } }: LogEntry): void => {
    if (!logger) return;
    if (level === logLevel.ERROR) logger.error({ kafka: fields }, message);
    else logger.warn({ kafka: fields }, message);
  };
  return new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    logLevel: logLevel.WARN,
    logCreator: () => log,
    ...(options.retries !== undefined && { retry: { retries: options.retries } }),
  });
}
