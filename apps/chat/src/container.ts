import express, { type Application, type Router } from 'express';
import type { Container } from 'inversify';
import type { WebSocketServer } from 'ws';
import { createAppContainer, type AppOptions } from '@sd/app/app-container';
import { loadAuthApp } from '@sd/auth/auth-app.module';
import { AuthRouter } from '@sd/auth/auth.module';
import { ChatHub, chatMessagesSqlSchema, chatModule, chatRelationsSqlSchema, ChatRouter, chatStoresModule, ChatWebSocket } from '@sd/chat/module';
import { httpAppModule, WebSockets } from '@sd/http/http-app.module';
import { mqModule } from '@sd/mq/mq.module';
import type { ChatConfig } from './config';

/**
 * The chat app: the chat over WebSocket (`/ws/chat`) and REST, its page at `/`, with the auth
 * domain embedded (its users API under `/api/users`) or asked remotely. The hub receives from
 * the queue before this returns; `main` and the tests build it here.
 */
export async function createChatContainer(config: ChatConfig, options: AppOptions = {}): Promise<Container> {
  const container = createAppContainer({ name: 'chat', logLevel: config.logLevel, logger: options.logger });
  const messagesInSql = config.store.kind === 'sql' ? [chatMessagesSqlSchema] : [];
  const database = await loadAuthApp(container, config, { schemas: [chatRelationsSqlSchema, ...messagesInSql], clock: options.clock });
  const { framesPerUser, ...hub } = config.chat;
  container.load(
    mqModule(config.mq),
    await chatStoresModule(config.store, database.dataSource),
    chatModule({ hub: { ...hub, maxPageSize: 100 }, ws: { framesPerUser, maxFrameBytes: 4 * config.chat.maxTextLength + 1024 } }, { clock: options.clock }),
  );
  await container.getAsync(ChatHub);
  container.bind<Record<string, WebSocketServer>>(WebSockets).toResolvedValue((chat: WebSocketServer) => ({ '/ws/chat': chat }), [ChatWebSocket]);
  const webRoot = config.webRoot;
  container.load(
    httpAppModule({
      trustProxy: config.trustProxy,
      inject: [ChatRouter, { optional: true, serviceIdentifier: AuthRouter }],
      mount: (app: Application, chat: Router, users: Router | undefined) => {
        app.use('/api', ...(users ? [users] : []), chat);
        if (webRoot) app.use(express.static(webRoot, { index: 'index.html' }));
      },
    }),
  );
  return container;
}
