import 'reflect-metadata';
import type { Application } from 'express';
import { runMain } from '@sd/app/main';
import { Logger } from '@sd/domain/logger';
import { listen } from '@sd/http/server';
import { userConfigFromEnv } from './config';
import { createUserContainer, HttpApp } from './container';

runMain(async () => {
  const config = userConfigFromEnv(process.env);
  const container = await createUserContainer(config);
  const logger = container.get<Logger>(Logger);
  const server = await listen(container.get<Application>(HttpApp), config.http);
  logger.info({ url: server.url, sql: config.sql.kind, cache: config.cache.kind }, 'user app listening');
  return {
    logger,
    close: async () => {
      await server.close();
      await container.unbindAllAsync();
    },
  };
});
