import pino, { type DestinationStream } from 'pino';
import type { Logger } from '@sd/domain/logger';

export interface LoggerConfig {
  name: string;
  level?: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Where lines go; stdout by default. Tests pass a stream to read what was logged. */
  destination?: DestinationStream;
}

/** Field names whose values never reach a log line, at any depth pino can address. */
const secretFields = ['password', 'token', 'access_token', 'refresh_token', 'secret', 'passphrase', 'authorization', 'cookie'];
const redactPaths = [
  ...secretFields,
  ...secretFields.map((field) => `*.${field}`),
  ...secretFields.map((field) => `*.*.${field}`),
  'req.headers["cb-access-sign"]',
  'req.headers["cb-access-passphrase"]',
];

/** A pino logger behind the Logger port: JSON lines, secrets redacted. */
export function createLogger(config: LoggerConfig): Logger {
  return pino(
    {
      name: config.name,
      level: config.level ?? 'info',
      redact: { paths: redactPaths, censor: '[redacted]' },
    },
    config.destination,
  );
}

/** For composition roots and tests that want no output. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};
