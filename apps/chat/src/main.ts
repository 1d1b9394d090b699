import 'reflect-metadata';
import type { Application } from 'express';
import type { WebSocketServer } from 'ws';
import { Logger } from '@sd/domain/logger';
import { listen } from '@sd/http/server';
import { chatConfigFromEnv } from './config';
import { createChatContainer, HttpApp, WebSockets } from './container';

async function main(): Promise<void> {
  const config = chatConfigFromEnv(process.env);
  const container = await createChatContainer(config);
  const logger = container.get<Logger>(Logger);
  const server = await listen(container.get<Application>(HttpApp), { ...config.http, webSockets: container.get<Record<string, WebSocketServer>>(WebSockets) });
  logger.info({ url: server.url, store: config.store.kind, mq: config.mq.kind, channels: config.chat.channels }, 'chat app listening');

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
