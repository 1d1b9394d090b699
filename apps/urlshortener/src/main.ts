import 'reflect-metadata';
import type { Application } from 'express';
import { Logger } from '@sd/domain/logger';
import { listen } from '@sd/http/server';
import { urlShortenerConfigFromEnv } from './config';
import { createUrlShortenerContainer, HttpApp } from './container';

async function main(): Promise<void> {
  const config = urlShortenerConfigFromEnv(process.env);
  const container = await createUrlShortenerContainer(config);
  const logger = container.get<Logger>(Logger);
  const server = await listen(container.get<Application>(HttpApp), config.http);
  logger.info({ url: server.url, sql: config.sql.kind, cache: config.cache.kind }, 'url shortener listening');

  const shutdown = async (signal: string): Promise<void> => {
    logger.info({ signal }, 'shutting down');
    await server.close();
    await container.unbindAllAsync();
    process.exit(0);
  };
  process.once('SIGINT', (signal) => void shutdown(signal));
  process.once('SIGTERM', (signal) => void shutdown(signal));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
