import type { Application, Router } from 'express';
import { Container } from 'inversify';
import type { WebSocketServer } from 'ws';
import { AuthRouter, authModule, authTypeormRepositoryModule } from '@sd/auth/auth.module';
import { resolveAuthKeys } from '@sd/auth/auth-keys';
import { authSqlSchema } from '@sd/auth/repository/typeorm/auth-sql-schema';
import { authSettings, type Clock } from '@sd/auth/usecase/auth-settings';
import { cacheModule } from '@sd/cache/cache.module';
import { ChatRouter, ChatWebSocket, chatMessageStoreModule, chatModule } from '@sd/chat/chat.module';
import { MongoMessageStore } from '@sd/chat/repository/mongo/message.mongo-store';
import { chatSqlSchema } from '@sd/chat/repository/typeorm/chat-sql-schema';
import { TypeormMessageStore } from '@sd/chat/repository/typeorm/message.typeorm-store';
import { ChatHub } from '@sd/chat/usecase/chat-hub';
import { Logger } from '@sd/domain/logger';
import { createHttpApp } from '@sd/http/http-app';
import { createLogger } from '@sd/logging/logger';
import { Metrics } from '@sd/metrics/metrics';
import { openMongoDatabase } from '@sd/mongo/mongo-database';
import { mqModule } from '@sd/mq/mq.module';
import { openSqlDatabase, type SqlDatabase } from '@sd/orm/sql-database';
import { rateLimitModule } from '@sd/ratelimit/ratelimit.module';
import type { ChatConfig } from './config';

export const HttpApp = Symbol.for('app.chat.HttpApp');
export const ChatDatabase = Symbol.for('app.chat.SqlDatabase');
/** The WebSocket servers to pass to `listen`: `/ws/chat`. */
export const WebSockets = Symbol.for('app.chat.WebSockets');

export interface ChatContainerOptions {
  clock?: Clock;
  logger?: Logger;
}

/**
 * Builds the chat app (auth + chat) from its config and starts the hub (it receives from the
 * MQ before this returns); `main` and the tests start here. Unbinding closes the hub first.
 */
export async function createChatContainer(config: ChatConfig, options: ChatContainerOptions = {}): Promise<Container> {
  const container = new Container({ defaultScope: 'Singleton' });
  const logger = options.logger ?? createLogger({ name: 'chat', level: config.logLevel });
  container.bind(Logger).toConstantValue(logger);
  container.bind(Metrics).toConstantValue(new Metrics({ defaultMetrics: true }));

  const keys = await resolveAuthKeys(config.keys, logger);
  const database = await openSqlDatabase(config.sql, {
    entities: [...authSqlSchema.entities, ...(config.store.kind === 'sql' ? chatSqlSchema.entities : [])],
    migrations: [...authSqlSchema.migrations, ...(config.store.kind === 'sql' ? chatSqlSchema.migrations : [])],
  });
  const mongo = config.store.kind === 'mongo' ? await openMongoDatabase({ url: config.store.url }) : undefined;
  const store = mongo ? await MongoMessageStore.open(mongo.db) : new TypeormMessageStore(database.dataSource);

  container.load(
    cacheModule(config.cache),
    rateLimitModule(config.rateLimiter),
    mqModule(config.mq),
    authTypeormRepositoryModule(database.dataSource),
    authModule(authSettings(keys, config.auth), { clock: options.clock }),
    chatMessageStoreModule(store),
    chatModule(
      {
        hub: { channels: config.chat.channels, maxTextLength: config.chat.maxTextLength, maxPageSize: 100, topic: config.chat.topic, instanceId: config.chat.instanceId, presenceIntervalMs: config.chat.presenceIntervalMs },
        ws: { framesPerUser: config.chat.framesPerUser, maxFrameBytes: 4 * config.chat.maxTextLength + 1024 },
      },
      { clock: options.clock },
    ),
  );
  const hub = container.get(ChatHub);
  await hub.start();
  // Deactivations run concurrently; the hub goes first (a last presence), then the stores close.
  container
    .bind<SqlDatabase>(ChatDatabase)
    .toResolvedValue(() => database)
    .onDeactivation(async (db) => {
      await hub.close();
      await Promise.all([db.close(), mongo?.close()]);
    });
  container.get(ChatDatabase);

  container.bind<Record<string, WebSocketServer>>(WebSockets).toResolvedValue((wss: WebSocketServer) => ({ '/ws/chat': wss }), [ChatWebSocket]);
  container.bind<Application>(HttpApp).toResolvedValue(
    (logger: Logger, metrics: Metrics, authRouter: Router, chatRouter: Router) =>
      createHttpApp({
        logger,
        metrics,
        bodyLimit: '16kb',
        routes: (app) => {
          app.get('/api/health', (_req, res) => void res.json({ status: 'ok' }));
          app.get('/metrics', async (_req, res) => {
            const { contentType, body } = await metrics.expose();
            res.type(contentType).send(body);
          });
          app.use('/api', authRouter, chatRouter);
        },
      }),
    [Logger, Metrics, AuthRouter, ChatRouter],
  );
  return container;
}
