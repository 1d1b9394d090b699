import type { Router } from 'express';
import { ContainerModule } from 'inversify';
import type { DataSource } from 'typeorm';
import type { WebSocketServer } from 'ws';
import { Lifecycle } from '@sd/app/app-container';
import { Authenticator } from '@sd/domain/auth/authenticator';
import { ChannelStore } from '@sd/domain/chat/channel';
import { HealthCheck } from '@sd/domain/health';
import { ChatUserStore, FriendStore } from '@sd/domain/chat/friendship';
import { MessageStore, ReadMarkerStore } from '@sd/domain/chat/message';
import { Logger } from '@sd/domain/logger';
import { MessageQueue } from '@sd/domain/mq';
import { RateLimiter } from '@sd/domain/rate-limit';
import { mongoHealthCheck, openMongoDatabase } from '@sd/mongo/mongo-database';
import { createChatRouter } from './delivery/http/chat.router';
import { createChatWebSocketServer, type ChatWebSocketSettings } from './delivery/ws/chat-websocket';
import { MongoMessageStore } from './repository/mongo/message.mongo-store';
import { TypeormChannelStore, TypeormChatUserStore, TypeormFriendStore, TypeormReadMarkerStore } from './repository/typeorm/chat-relations.typeorm-stores';
import { TypeormMessageStore } from './repository/typeorm/message.typeorm-store';
import { ChannelsUseCase } from './usecase/channels.usecase';
import { ChatEvents } from './usecase/chat-events';
import { ChatHub } from './usecase/chat-hub';
import type { ChatSettings } from './usecase/chat-settings';
import { ConversationsUseCase } from './usecase/conversations.usecase';
import { FriendsUseCase } from './usecase/friends.usecase';

export { chatMessagesSqlSchema, chatRelationsSqlSchema } from './repository/typeorm/chat-sql-schema';
export type { ChatSettings, DirectMessagePolicy } from './usecase/chat-settings';
export type { ChatWebSocketSettings } from './delivery/ws/chat-websocket';
export { ChatHub };

/** The chat WebSocket server (`noServer`), for `listen({ webSockets: { '/ws/chat': ... } })`. */
export const ChatWebSocket = Symbol.for('sd.chat.WebSocket');
/** The history router, for an app to mount under `/api`. */
export const ChatRouter = Symbol.for('sd.chat.Router');

/** Where messages live: the app's SQL database (`chatMessagesSqlSchema`), or MongoDB. */
export type ChatMessageStoreConfig = { kind: 'sql' } | { kind: 'mongo'; url: string };

/**
 * The chat's stores: users, friendships, channels and read markers on the app's SQL database
 * (see `chatRelationsSqlSchema`), messages there too or in MongoDB (opened here, closed on unbind).
 */
export async function chatStoresModule(messages: ChatMessageStoreConfig, dataSource: DataSource): Promise<ContainerModule> {
  const mongo = messages.kind === 'mongo' ? await openMongoDatabase({ url: messages.url }) : undefined;
  const messageStore = mongo ? await MongoMessageStore.open(mongo.db) : new TypeormMessageStore(dataSource);
  return new ContainerModule(({ bind }) => {
    bind<ChatUserStore>(ChatUserStore).toConstantValue(new TypeormChatUserStore(dataSource));
    bind<FriendStore>(FriendStore).toConstantValue(new TypeormFriendStore(dataSource));
    bind<ChannelStore>(ChannelStore).toConstantValue(new TypeormChannelStore(dataSource));
    bind<ReadMarkerStore>(ReadMarkerStore).toConstantValue(new TypeormReadMarkerStore(dataSource));
    bind<MessageStore>(MessageStore)
      .toResolvedValue(() => messageStore)
      .inSingletonScope()
      .onDeactivation(async () => mongo?.close());
    if (mongo) bind<HealthCheck>(HealthCheck).toConstantValue(mongoHealthCheck(mongo, 'chat'));
  });
}

/**
 * The chat use cases, the hub, its WebSocket server and router. Needs the stores
 * (`chatStoresModule`), `MessageQueue`, `RateLimiter`, `Authenticator`, `Logger` and kit/app's
 * `Lifecycle` bound. The app awaits `container.getAsync(ChatHub)` before serving: the hub then
 * receives from the queue; it says goodbye on the queue at the app's stop.
 */
export function chatModule(settings: { hub: ChatSettings; ws: ChatWebSocketSettings }, options: { clock?: () => number } = {}): ContainerModule {
  const clock = options.clock ?? Date.now;
  const hub = settings.hub;
  return new ContainerModule(({ bind }) => {
    bind(ChatEvents).toResolvedValue((mq: MessageQueue) => new ChatEvents(mq, hub.topic), [MessageQueue]).inSingletonScope();
    bind(FriendsUseCase)
      .toResolvedValue((friends: FriendStore, users: ChatUserStore, events: ChatEvents) => new FriendsUseCase(friends, users, events, hub, clock), [FriendStore, ChatUserStore, ChatEvents])
      .inSingletonScope();
    bind(ChannelsUseCase)
      .toResolvedValue((channels: ChannelStore, events: ChatEvents) => new ChannelsUseCase(channels, events, hub, clock), [ChannelStore, ChatEvents])
      .inSingletonScope();
    bind(ConversationsUseCase)
      .toResolvedValue(
        (messages: MessageStore, markers: ReadMarkerStore, friends: FriendStore, channels: ChannelsUseCase, events: ChatEvents) =>
          new ConversationsUseCase(messages, markers, friends, channels, events, hub, clock),
        [MessageStore, ReadMarkerStore, FriendStore, ChannelsUseCase, ChatEvents],
      )
      .inSingletonScope();
    bind(ChatHub)
      .toResolvedValue(
        async (
          mq: MessageQueue,
          events: ChatEvents,
          users: ChatUserStore,
          channelStore: ChannelStore,
          friends: FriendsUseCase,
          channels: ChannelsUseCase,
          conversations: ConversationsUseCase,
          logger: Logger,
          lifecycle: Lifecycle,
        ) => {
          const started = new ChatHub({ mq, events, users, channelStore, friends, channels, conversations, settings: hub, clock, logger: logger.child({ component: 'chat' }) });
          await started.start();
          lifecycle.onStop(() => started.close());
          return started;
        },
        [MessageQueue, ChatEvents, ChatUserStore, ChannelStore, FriendsUseCase, ChannelsUseCase, ConversationsUseCase, Logger, Lifecycle],
      )
      .inSingletonScope();
    bind<WebSocketServer>(ChatWebSocket)
      .toResolvedValue(
        (hub: ChatHub, friends: FriendsUseCase, channels: ChannelsUseCase, conversations: ConversationsUseCase, authenticator: Authenticator, rateLimiter: RateLimiter, logger: Logger) =>
          createChatWebSocketServer({ hub, friends, channels, conversations, authenticator, rateLimiter, settings: settings.ws, logger: logger.child({ component: 'chat-ws' }) }),
        [ChatHub, FriendsUseCase, ChannelsUseCase, ConversationsUseCase, Authenticator, RateLimiter, Logger],
      )
      .inSingletonScope();
    bind<Router>(ChatRouter)
      .toResolvedValue((conversations: ConversationsUseCase, authenticator: Authenticator) => createChatRouter(conversations, authenticator), [ConversationsUseCase, Authenticator])
      .inSingletonScope();
  });
}
