import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Application } from 'express';
import type { Container } from 'inversify';
import type { WebSocketServer } from 'ws';
import { createAppContainer, Lifecycle } from '@sd/app/app-container';
import { loadAuthApp } from '@sd/auth/auth-app.module';
import { AuthRoutes } from '@sd/auth/auth.module';
import { AUTH_SECURITY } from '@sd/auth/auth-routes';
import { authorizer } from '@sd/auth/authorize';
import { Authenticator } from '@sd/domain/auth/authenticator';
import { UserRepository } from '@sd/domain/auth/user';
import { HealthCheck } from '@sd/domain/health';
import { Logger } from '@sd/domain/logger';
import { RateLimiter } from '@sd/domain/rate-limit';
import { adminRoutes } from '@sd/exchange/delivery/http/admin.routes';
import { LiveFields } from '@sd/exchange/delivery/http/api-schemas';
import { exchangeRoutes } from '@sd/exchange/delivery/http/exchange.routes';
import { EXCHANGE_LANES } from '@sd/exchange/delivery/http/route-table';
import { PushServer } from '@sd/exchange/delivery/ws/push-server';
import { apiModule, ExchangeWebSocket } from '@sd/exchange/modules/api.module';
import { embeddedEngineModule, EngineStandby, replicaModule, standbyEngineModule } from '@sd/exchange/modules/engine.module';
import { exchangeModule } from '@sd/exchange/modules/exchange.module';
import { HistoryWriter, historyModule } from '@sd/exchange/modules/history.module';
import { ReadSide, readSideModule } from '@sd/exchange/modules/read-side.module';
import { EngineSequence } from '@sd/exchange/modules/settings';
import { HistoryQueries } from '@sd/exchange/usecase/read/history/history-queries';
import { AccountQueries } from '@sd/exchange/usecase/read/account-queries';
import { MarketQueries } from '@sd/exchange/usecase/read/market-queries';
import { QuotationQueries } from '@sd/exchange/usecase/read/quotation/quotation-queries';
import { MarketAdminUseCase } from '@sd/exchange/usecase/write/market-admin.usecase';
import { TradingUseCase } from '@sd/exchange/usecase/write/trading.usecase';
import type { ApiRoute } from '@sd/http/api-route';
import { liveRoutes, readinessRoute } from '@sd/http/health';
import { createHttpApp, type NodeHandler } from '@sd/http/http-app';
import { HttpApp, WebSockets } from '@sd/http/http-app.module';
import { Metrics } from '@sd/metrics/metrics';
import { mqModule } from '@sd/mq/mq.module';
import { rateLimitCheck } from '@sd/ratelimit/rate-limit.middleware';
import { createTracing } from '@sd/tracing/tracing';
import type { ExchangeConfig } from './config';
import { readSideLagCheck } from './instrumenting/exchange-health';
import { countWebSocketClients, instrumentEngine, watchOutcomeLag } from './instrumenting/exchange-metrics';
import { RequestTraces, untraced } from './instrumenting/exchange-tracing';

export { HttpApp, WebSockets };
/** The tracer provider of this process (`config.tracing` picks the exporter). */
export const Tracing = Symbol.for('app.exchange.Tracing');

/** Where the REST API is mounted: both lanes' routes, the OpenAPI document and the signatures they check. */
const API = '/api';
const PERSIST_EVERY_MS = 5000;

export interface ExchangeContainerOptions {
  /** Replaces the pino logger built from `config.logLevel`. */
  logger?: Logger;
}

/**
 * Builds the exchange app from its config; `main` and the tests both start here. Embedded:
 * one process with every role on a file journal, memory MQ and embedded SQL. Distributed:
 * Kafka is the command log and the message queue; each process runs the roles it is given.
 */
export async function createExchangeContainer(config: ExchangeConfig, options: ExchangeContainerOptions = {}): Promise<Container> {
  const container = createAppContainer({ name: 'exchange', logLevel: config.logLevel, logger: options.logger });
  const metrics = container.get(Metrics);
  const tracing = createTracing({ serviceName: `exchange-${[...config.roles].join('-')}`, ...config.tracing });
  container.get<Lifecycle>(Lifecycle).onStop(() => tracing.shutdown());
  container.bind(Tracing).toConstantValue(tracing);
  const traces = config.tracing.exporter === 'none' ? untraced : new RequestTraces(tracing.tracer);
  const { roles, commandLog } = config;
  const storage = { dataDir: config.dataDir, journalFsync: config.journalFsync };
  container.load(
    mqModule(config.mq),
    exchangeModule({ ...config.market, topics: config.topics, snapshotEvery: config.snapshotEvery, instrumentation: instrumentEngine(metrics, traces) }),
    readSideModule({ sql: config.sql.history, marketData: config.marketData, thread: config.readSide, persistEveryMs: PERSIST_EVERY_MS }),
  );
  if (roles.has('engine')) container.load(commandLog === null ? embeddedEngineModule(storage) : standbyEngineModule(storage, commandLog));
  if (roles.has('api') && commandLog !== null) container.load(replicaModule(commandLog));
  if (roles.has('history')) container.load(historyModule());
  if (roles.has('api')) {
    await loadAuthApp(container, {
      sql: config.sql.auth,
      cache: config.cache,
      rateLimiter: config.rateLimiter,
      auth: { kind: 'embedded', keys: config.keys, settings: config.auth, sessionCache: config.sessionCache },
    }, { holds: 'auth' });
  }
  if (roles.has('api')) container.load(apiModule());

  // Start the roles: the engine first (it recovers before anything reads it), then the history writer, then the API.
  if (roles.has('engine')) await container.getAsync(commandLog === null ? EngineSequence : EngineStandby);
  if (roles.has('history')) await container.getAsync(HistoryWriter);
  const sequence: EngineSequence = container.isBound(EngineSequence) ? await container.getAsync<EngineSequence>(EngineSequence) : () => null;
  if (roles.has('history')) {
    const history = await container.getAsync(HistoryQueries);
    const stopWatching = watchOutcomeLag(metrics, () => sequence() ?? 0, () => history.checkpoint(), (error) => container.get<Logger>(Logger).warn({ err: error }, 'outcome lag sample failed'));
    container.get<Lifecycle>(Lifecycle).onStop(stopWatching);
  }
  if (!roles.has('api')) {
    // Engine and history processes serve only their health and metrics.
    container.bind(WebSockets).toConstantValue({});
    const checks = await healthChecks(container, config, sequence);
    container.bind<Application>(HttpApp).toConstantValue(
      createHttpApp({
        logger: container.get<Logger>(Logger),
        metrics,
        api: { mountPath: API, routes: live(sequence), lanes: EXCHANGE_LANES },
        routes: (app) => app.use(readinessRoute({ checks })),
      }),
    );
    return container;
  }
  await container.getAsync(PushServer);
  const wss = container.get<WebSocketServer>(ExchangeWebSocket);
  countWebSocketClients(wss, metrics);
  container.bind(WebSockets).toConstantValue({ '/ws': wss });
  const checks = await healthChecks(container, config, sequence);
  container.bind<Application>(HttpApp).toConstantValue(await exchangeHttpApp(container, config, traces.middleware(), sequence, checks));
  return container;
}

/** The API over HTTP: the exchange's, the users' and the admin's routes on the lanes of the route table, readiness, the web page. */
async function exchangeHttpApp(
  container: Container,
  config: ExchangeConfig,
  traceRequests: NodeHandler | null,
  sequence: () => number | null,
  checks: readonly HealthCheck[],
): Promise<Application> {
  const [trading, market, accounts, quotation, admin, history] = await Promise.all([
    container.getAsync(TradingUseCase),
    container.getAsync(MarketQueries),
    container.getAsync(AccountQueries),
    container.getAsync(QuotationQueries),
    container.getAsync(MarketAdminUseCase),
    container.getAsync(HistoryQueries),
  ]);
  const logger = container.get<Logger>(Logger);
  const metrics = container.get(Metrics);
  const authenticator = container.get<Authenticator>(Authenticator);
  const limiter = container.get<RateLimiter>(RateLimiter);
  const ordersLimit = rateLimitCheck(limiter, { name: 'orders', rule: config.tradingRateLimit, logger });
  const signedIn = authorizer(authenticator, { mountPath: API });
  const users = container.get<UserRepository>(UserRepository);
  const isAdmin = async (userId: string): Promise<boolean> => config.admins.has((await users.findById(userId))?.email ?? '');
  const routes: ApiRoute[] = [
    ...live(sequence),
    ...container.get<ApiRoute[]>(AuthRoutes),
    ...exchangeRoutes({
      trading,
      market,
      accounts,
      quotation,
      signedIn,
      trade: authorizer(authenticator, { mountPath: API, permission: 'trade', limit: ordersLimit }),
      readSideCheckpoint: () => history.checkpoint(),
      faucet: config.faucet ?? undefined,
    }),
    ...adminRoutes({ admin, market, signedIn, isAdmin }),
  ];
  const webRoot = existsSync(join(config.webRoot, 'index.html')) ? config.webRoot : null;
  return createHttpApp({
    logger,
    metrics,
    bodyLimit: '16kb',
    trustProxy: config.trustProxy,
    before: traceRequests === null ? [] : [traceRequests],
    api: {
      mountPath: API,
      routes,
      lanes: EXCHANGE_LANES,
      document: { title: 'Exchange API', version: '1', description: 'Coinbase-Exchange style REST API of the exchange.', security: AUTH_SECURITY },
    },
    routes: (app) => {
      app.use(readinessRoute({ checks }));
      if (webRoot !== null) app.use(express.static(webRoot, { index: 'index.html', maxAge: '1h' }));
    },
  });
}

/** Liveness (`/api/health`, `/api/health/live`): the engine sequence this process has applied. Readiness is `readinessRoute`. */
function live(sequence: () => number | null): ApiRoute[] {
  return liveRoutes({ live: () => ({ sequence: sequence() }), fields: LiveFields });
}

/**
 * What readiness asks in this process: every check its modules bound (the journal, Kafka,
 * Redis, the auth database), the read side's databases, and how far the read side lags.
 */
async function healthChecks(container: Container, config: ExchangeConfig, sequence: () => number | null): Promise<HealthCheck[]> {
  const [bound, readSide, history] = await Promise.all([
    container.getAllAsync<HealthCheck>(HealthCheck, { optional: true }),
    container.getAsync<ReadSide>(ReadSide),
    container.getAsync(HistoryQueries),
  ]);
  return [...bound, ...readSide.health, readSideLagCheck({ engineSequence: sequence, checkpoint: () => history.checkpoint(), maxLag: config.readyMaxLag })];
}
