import 'reflect-metadata';
import type { Application } from 'express';
import { runMain } from '@sd/app/main';
import { Logger } from '@sd/domain/logger';
import { listen } from '@sd/http/server';
import { urlShortenerConfigFromEnv } from './config';
import { createUrlShortenerContainer, HttpApp } from './container';

runMain(async () => {
  const config = urlShortenerConfigFromEnv(process.env);
  const container = await createUrlShortenerContainer(config);
  const logger = container.get<Logger>(Logger);
  const server = await listen(container.get<Application>(HttpApp), config.http);
  logger.info({ url: server.url, sql: config.sql.kind, cache: config.cache.kind }, 'url shortener listening');
  return {
    logger,
    close: async () => {
      await server.close();
      await container.unbindAllAsync();
    },
  };
});
