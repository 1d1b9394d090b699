import type { Router } from 'express';
import { ContainerModule } from 'inversify';
import type { WebSocketServer } from 'ws';
import { Authenticator } from '@sd/domain/auth/authenticator';
import { UserRepository } from '@sd/domain/auth/user';
import { MessageStore } from '@sd/domain/chat/message';
import { Logger } from '@sd/domain/logger';
import { MessageQueue } from '@sd/domain/mq';
import { RateLimiter } from '@sd/domain/rate-limit';
import { createChatRouter } from './delivery/http/chat.router';
import { createChatWebSocketServer, type ChatWebSocketSettings } from './delivery/ws/chat-websocket';
import { ChatHub, type ChatSettings } from './usecase/chat-hub';

/** The chat WebSocket server (`noServer`), for `listen({ webSockets: { '/ws/chat': ... } })`. */
export const ChatWebSocket = Symbol.for('sd.chat.WebSocket');
/** The history router, for an app to mount under `/api`. */
export const ChatRouter = Symbol.for('sd.chat.Router');

/**
 * The hub, its WebSocket server and router. Needs `MessageStore`, `UserRepository`,
 * `MessageQueue`, `RateLimiter`, `Authenticator` and `Logger` bound; the app awaits
 * `ChatHub.start()` before serving, and `ChatHub.close()` on shutdown.
 */
export function chatModule(settings: { hub: ChatSettings; ws: ChatWebSocketSettings }, options: { clock?: () => number } = {}): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(ChatHub)
      .toResolvedValue(
        (store: MessageStore, users: UserRepository, mq: MessageQueue, logger: Logger) =>
          new ChatHub(store, users, mq, settings.hub, options.clock ?? Date.now, logger.child({ component: 'chat' })),
        [MessageStore, UserRepository, MessageQueue, Logger],
      )
      .inSingletonScope();
    bind<WebSocketServer>(ChatWebSocket)
      .toResolvedValue(
        (hub: ChatHub, authenticator: Authenticator, rateLimiter: RateLimiter, logger: Logger) =>
          createChatWebSocketServer({ hub, authenticator, rateLimiter, settings: settings.ws, logger: logger.child({ component: 'chat-ws' }) }),
        [ChatHub, Authenticator, RateLimiter, Logger],
      )
      .inSingletonScope();
    bind<Router>(ChatRouter)
      .toResolvedValue((hub: ChatHub, authenticator: Authenticator) => createChatRouter(hub, authenticator), [ChatHub, Authenticator])
      .inSingletonScope();
  });
}

/** Binds the message store: `TypeormMessageStore` (see `chatSqlSchema`) or `MongoMessageStore.open(db)`. */
export function chatMessageStoreModule(store: MessageStore): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<MessageStore>(MessageStore).toConstantValue(store);
  });
}
