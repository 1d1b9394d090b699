import 'reflect-metadata';
import type { Application } from 'express';
import type { WebSocketServer } from 'ws';
import { runMain } from '@sd/app/main';
import { Logger } from '@sd/domain/logger';
import { listen } from '@sd/http/server';
import { chatConfigFromEnv } from './config';
import { createChatContainer, HttpApp, WebSockets } from './container';

runMain(async () => {
  const config = chatConfigFromEnv(process.env);
  const container = await createChatContainer(config);
  const logger = container.get<Logger>(Logger);
  const server = await listen(container.get<Application>(HttpApp), { ...config.http, webSockets: container.get<Record<string, WebSocketServer>>(WebSockets) });
  logger.info({ url: server.url, store: config.store.kind, mq: config.mq.kind, channels: config.chat.channels }, 'chat app listening');
  return {
    logger,
    close: async () => {
      await server.close();
      await container.unbindAllAsync();
    },
  };
});
