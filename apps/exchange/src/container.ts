import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Application, type Router } from 'express';
import { Container } from 'inversify';
import { WebSocketServer } from 'ws';
import { AuthRouter, authModule, authTypeormRepositoryModule } from '@sd/auth/auth.module';
import { resolveAuthKeys } from '@sd/auth/auth-keys';
import { authenticate, principalOf, requirePermission } from '@sd/auth/delivery/http/authenticate.middleware';
import { limitPerUser } from '@sd/auth/delivery/http/rate-limits';
import { authenticateWebSocket } from '@sd/auth/delivery/ws/websocket-auth';
import { authSqlSchema } from '@sd/auth/repository/typeorm/auth-sql-schema';
import { authSettings } from '@sd/auth/usecase/auth-settings';
import { cacheModule } from '@sd/cache/cache.module';
import { Authenticator } from '@sd/domain/auth/authenticator';
import { Logger } from '@sd/domain/logger';
import { MessageQueue } from '@sd/domain/mq';
import { RateLimiter } from '@sd/domain/rate-limit';
import { createExchangeRouter } from '@sd/exchange/delivery/http/exchange.router';
import { PushServer } from '@sd/exchange/delivery/ws/push-server';
import { FileJournal } from '@sd/exchange/repository/file-journal/file-journal';
import { FileSnapshotStore } from '@sd/exchange/repository/file-snapshot/file-snapshot-store';
import { MessageQueueEngineOutput, OUTCOME_TOPIC, subscribeOutcomes } from '@sd/exchange/repository/mq/outcome-topic';
import { DEFAULT_CURRENCIES, DEFAULT_PRODUCTS } from '@sd/exchange/usecase/catalog/default-products';
import { ProductCatalog } from '@sd/exchange/usecase/catalog/product-catalog';
import { EventFormatter } from '@sd/exchange/usecase/engine/event-format';
import { RequestParser } from '@sd/exchange/usecase/order/request-parser';
import { EngineHost } from '@sd/exchange/usecase/sequencer/engine-host';
import { ExchangeGateway } from '@sd/exchange/usecase/sequencer/exchange-gateway';
import { localEngineReader } from '@sd/exchange/usecase/trading/engine-reader';
import { TradingUseCase } from '@sd/exchange/usecase/trading/trading.usecase';
import { createHttpApp } from '@sd/http/http-app';
import { createLogger } from '@sd/logging/logger';
import { Metrics } from '@sd/metrics/metrics';
import { mqModule } from '@sd/mq/mq.module';
import { openSqlDatabase } from '@sd/orm/sql-database';
import { rateLimitModule } from '@sd/ratelimit/ratelimit.module';
import type { ExchangeConfig } from './config';

/** The express app this process serves. */
export const HttpApp = Symbol.for('app.exchange.HttpApp');
/** WebSocket servers by upgrade path, for `listen`. */
export const WebSockets = Symbol.for('app.exchange.WebSockets');
export const AuthDatabase = Symbol.for('app.exchange.AuthDatabase');
export const Engine = Symbol.for('app.exchange.EngineHost');
export const Push = Symbol.for('app.exchange.PushServer');

export interface ExchangeContainerOptions {
  /** Replaces the pino logger built from `config.logLevel`. */
  logger?: Logger;
}

/** Builds the whole exchange app from its config; `main` and the tests both start here. */
export async function createExchangeContainer(config: ExchangeConfig, options: ExchangeContainerOptions = {}): Promise<Container> {
  const container = new Container({ defaultScope: 'Singleton' });
  const logger = options.logger ?? createLogger({ name: 'exchange', level: config.logLevel });
  const metrics = new Metrics({ defaultMetrics: true });
  container.bind(Logger).toConstantValue(logger);
  container.bind(Metrics).toConstantValue(metrics);

  const keys = await resolveAuthKeys(config.keys, logger);
  const authDatabase = await openSqlDatabase(config.sql.auth, authSqlSchema);
  bindClosing(container, AuthDatabase, authDatabase, (db) => db.close());
  container.load(
    cacheModule(config.cache),
    rateLimitModule(config.rateLimiter),
    mqModule(config.mq),
    authTypeormRepositoryModule(authDatabase.dataSource),
    authModule(authSettings(keys, config.auth)),
  );

  const catalog = new ProductCatalog(DEFAULT_CURRENCIES, DEFAULT_PRODUCTS);
  const mq = container.get<MessageQueue>(MessageQueue);
  await mq.ensureTopic(OUTCOME_TOPIC, { partitions: 1 });
  const host = await EngineHost.start({
    catalog,
    journal: new FileJournal({ dir: join(config.dataDir, 'journal'), fsync: config.journalFsync }),
    snapshots: new FileSnapshotStore({ dir: join(config.dataDir, 'snapshots'), keep: 3 }),
    output: new MessageQueueEngineOutput(mq),
    logger: logger.child({ component: 'engine' }),
    snapshotEvery: config.snapshotEvery,
  });
  bindClosing(container, Engine, host, (engineHost) => engineHost.close());
  const reader = localEngineReader(host.engine);
  const trading = new TradingUseCase(catalog, new ExchangeGateway(new RequestParser(catalog), host), reader);

  const authenticator = container.get<Authenticator>(Authenticator);
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 });
  const push = new PushServer({
    wss,
    catalog,
    reader,
    formatter: new EventFormatter(catalog),
    logger: logger.child({ component: 'push' }),
    authenticate: async (message, headers) => {
      const result = await authenticateWebSocket(authenticator, { message, headers });
      return result.ok ? { ok: true, userId: result.principal.userId } : result;
    },
  });
  const pushSubscription = await subscribeOutcomes(mq, {
    groupId: 'push',
    startFrom: 'latest',
    handle: (outcomes) => push.publish(outcomes),
    onError: (error) => logger.error({ err: error }, 'push failed'),
  });
  bindClosing(container, Push, push, async (server) => {
    await pushSubscription.close();
    server.close();
  });
  container.bind<Record<string, WebSocketServer>>(WebSockets).toConstantValue({ '/ws': wss });

  const rateLimiter = container.get<RateLimiter>(RateLimiter);
  const exchangeRouter = createExchangeRouter({
    trading,
    authenticate: authenticate(authenticator),
    requireTrade: requirePermission('trade'),
    userOf: (res) => principalOf(res).userId,
    limitTrading: limitPerUser(rateLimiter, config.tradingRateLimit, { name: 'orders', logger }),
    faucet: config.faucet ?? undefined,
  });
  const authRouter = container.get<Router>(AuthRouter);
  const webRoot = existsSync(join(config.webRoot, 'index.html')) ? config.webRoot : null;
  container.bind<Application>(HttpApp).toConstantValue(
    createHttpApp({
      logger,
      metrics,
      bodyLimit: '16kb',
      routes: (app) => {
        app.get('/api/health', (_req, res) => void res.json({ status: 'ok', sequence: host.engine.lastSequence }));
        app.get('/metrics', async (_req, res) => {
          const { contentType, body } = await metrics.expose();
          res.type(contentType).send(body);
        });
        app.use('/api', authRouter);
        app.use('/api', exchangeRouter);
        if (webRoot !== null) app.use(express.static(webRoot, { index: 'index.html', maxAge: '1h' }));
      },
    }),
  );
  return container;
}

/** Binds a resource the container closes on unbind, activated now so unbinding always closes it. */
function bindClosing<T>(container: Container, token: symbol, value: T, close: (value: T) => Promise<void>): void {
  container
    .bind<T>(token)
    .toResolvedValue(() => value)
    .onDeactivation(close);
  container.get(token);
}
