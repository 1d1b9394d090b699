import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import express, { type Application, type Router } from 'express';
import { Container } from 'inversify';
import { WebSocketServer } from 'ws';
import { AuthRouter, authModule, authTypeormRepositoryModule } from '@sd/auth/auth.module';
import { resolveAuthKeys } from '@sd/auth/auth-keys';
import { assertPermission } from '@sd/auth/permissions';
import { limitPerUser } from '@sd/auth/rate-limits';
import { requirePermission } from '@sd/auth/require-permission';
import { authSettings } from '@sd/auth/settings';
import { authSqlSchema } from '@sd/auth/sql-schema';
import { authenticate, authenticateHttp, principalOf } from '@sd/http/authenticate';
import { authenticateWebSocket } from '@sd/http/websocket-auth';
import { cacheModule } from '@sd/cache/cache.module';
import { Authenticator } from '@sd/domain/auth/authenticator';
import type { CommandJournal } from '@sd/domain/exchange/command-journal';
import type { CommandSubmitter } from '@sd/domain/exchange/command-submitter';
import type { CommandOutcome } from '@sd/domain/exchange/event';
import { OrderHistoryStore } from '@sd/domain/exchange/order-history';
import { Logger } from '@sd/domain/logger';
import { MessageQueue, type Subscription } from '@sd/domain/mq';
import { RateLimiter } from '@sd/domain/rate-limit';
import { createExchangeRouter, createOrderEntryRoutes } from '@sd/exchange/delivery/http/exchange.router';
import { PushServer, type CandleFeed } from '@sd/exchange/delivery/ws/push-server';
import { exchangeSqlRepositoryModule, marketDataModule, mongoMarketDataModule, openMongoMarketData, workerReadSideModule } from '@sd/exchange/market-data.module';
import { WorkerReadSide } from '@sd/exchange/repository/read-side-worker/worker-read-side';
import { FileJournal } from '@sd/exchange/repository/journal/file-journal';
import { FileSnapshotStore } from '@sd/exchange/repository/snapshot/file-snapshot-store';
import { KafkaCommandJournal } from '@sd/exchange/repository/journal/kafka-journal';
import { MessageQueueCommandSubmitter, serveCommandRequests } from '@sd/exchange/repository/mq/command-requests';
import { MessageQueueEngineOutput, subscribeOutcomes } from '@sd/exchange/repository/mq/outcome-topic';
import { exchangeSqlSchema } from '@sd/exchange/repository/typeorm/exchange-sql-schema';
import { TypeormOrderHistoryStore } from '@sd/exchange/repository/typeorm/order-history.typeorm-repo';
import { DEFAULT_CURRENCIES, DEFAULT_PRODUCTS } from '@sd/exchange/usecase/core/catalog/default-products';
import { ProductCatalog } from '@sd/exchange/usecase/core/catalog/product-catalog';
import { EventFormatter } from '@sd/exchange/usecase/core/money/event-format';
import { HistoryQueries } from '@sd/exchange/usecase/read/history/history-queries';
import { RequestParser } from '@sd/exchange/usecase/write/request-parser';
import { QuotationQueries } from '@sd/exchange/usecase/read/quotation/quotation-queries';
import { ReadSideProjector } from '@sd/exchange/usecase/read/read-side-projector';
import { EngineHost } from '@sd/exchange/usecase/write/engine-host';
import { ExchangeGateway } from '@sd/exchange/usecase/write/exchange-gateway';
import { localEngineReader, type EngineReader } from '@sd/exchange/usecase/read/replica/engine-reader';
import { FollowerEngineReader } from '@sd/exchange/usecase/read/replica/follower-engine-reader';
import { TradingUseCase } from '@sd/exchange/usecase/write/trading.usecase';
import { AccountQueries } from '@sd/exchange/usecase/read/account-queries';
import { MarketQueries } from '@sd/exchange/usecase/read/market-queries';
import { ReadYourWrites } from '@sd/exchange/usecase/read/read-your-writes';
import { OrderViews } from '@sd/exchange/usecase/core/order-view';
import { createHttpApp } from '@sd/http/http-app';
import type { LeanHeaders, LeanRequest } from '@sd/http/lean-routes';
import { createLogger } from '@sd/logging/logger';
import { createTracing } from '@sd/tracing/tracing';
import { Metrics } from '@sd/metrics/metrics';
import { openMongoDatabase } from '@sd/mongo/mongo-database';
import { mqModule } from '@sd/mq/mq.module';
import { openSqlDatabase, persistPeriodically } from '@sd/orm/sql-database';
import { rateLimitCheck } from '@sd/ratelimit/rate-limit.middleware';
import { rateLimitModule } from '@sd/ratelimit/ratelimit.module';
import type { ExchangeConfig } from './config';
import { countedSubmitter, countWebSocketClients, timedEngine, watchOutcomeLag } from './instrumenting/exchange-metrics';
import { RequestTraces, untraced, type RequestTracing } from './instrumenting/exchange-tracing';

/** The express app this process serves. */
export const HttpApp = Symbol.for('app.exchange.HttpApp');

/** Where the REST API is mounted: the express routers, the lean order routes and the signatures they check. */
const API = '/api';

/** WebSocket servers by upgrade path, for `listen`. */
export const WebSockets = Symbol.for('app.exchange.WebSockets');
/** The tracer provider of this process (`config.tracing` picks the exporter). */
export const Tracing = Symbol.for('app.exchange.Tracing');
/** Closes what the app opened, newest first, when the container is unbound. */
export const Lifecycle = Symbol.for('app.exchange.Lifecycle');
/** The engine leader of this process (embedded, or the engine role). */
export const Engine = Symbol.for('app.exchange.EngineHost');

export interface ExchangeContainerOptions {
  /** Replaces the pino logger built from `config.logLevel`. */
  logger?: Logger;
}

const PERSIST_EVERY_MS = 5000;

/**
 * Builds the whole exchange app from its config; `main` and the tests both start here.
 * Embedded: one process, file journal, memory MQ, embedded SQL. Distributed: Kafka is the
 * command log and the message queue; each process runs the roles it is given.
 */
export async function createExchangeContainer(config: ExchangeConfig, options: ExchangeContainerOptions = {}): Promise<Container> {
  const container = new Container({ defaultScope: 'Singleton' });
  const logger = options.logger ?? createLogger({ name: 'exchange', level: config.logLevel });
  const metrics = new Metrics({ defaultMetrics: true });
  const closers: Array<() => Promise<void>> = [];
  container.bind(Logger).toConstantValue(logger);
  container.bind(Metrics).toConstantValue(metrics);
  const tracing = createTracing({ serviceName: `exchange-${[...config.roles].join('-')}`, exporter: config.tracing });
  const traces: RequestTracing = config.tracing === 'none' ? untraced : new RequestTraces(tracing.tracer);
  container.bind(Tracing).toConstantValue(tracing);
  container.load(mqModule(config.mq));
  container
    .bind(Lifecycle)
    .toConstantValue(closers)
    .onDeactivation(async () => {
      for (const close of closers.reverse()) await close();
    });
  container.get(Lifecycle);
  closers.push(() => tracing.shutdown());
  const { roles } = config;

  // Read side: orders and fills in SQL; candles and trades in SQL or MongoDB.
  const catalog = new ProductCatalog(DEFAULT_CURRENCIES, DEFAULT_PRODUCTS);
  const mq = container.get<MessageQueue>(MessageQueue);
  const { topics } = config;
  for (const topic of [topics.outcomes, topics.requests, topics.replies]) await mq.ensureTopic(topic, { partitions: 1 });
  const readSide = await openReadSide(container, config, catalog, logger);
  // One consumer group: every process that writes the read side shares its progress.
  const readSideGroup = `${topics.outcomes}.read-side`;
  const quotation = container.get(QuotationQueries);
  const history = container.get(HistoryQueries);

  // Engine leader. Embedded: the file journal, leader from the start. Distributed: every engine
  // process is a hot standby following the Kafka log until the request group hands it the
  // request partition; it then takes over, fencing the old leader through the journal.
  let host: EngineHost | null = null;
  let standby: FollowerEngineReader | null = null;
  if (roles.has('engine')) {
    const snapshots = new FileSnapshotStore({ dir: join(config.dataDir, 'snapshots'), keep: 3 });
    const startLeader = async (journal: CommandJournal): Promise<EngineHost> => {
      const timed = timedEngine(journal, traces.output(new MessageQueueEngineOutput(mq, topics.outcomes)), metrics);
      const started = await EngineHost.start({
        catalog,
        journal: timed.journal,
        snapshots,
        output: timed.output,
        logger: logger.child({ component: 'engine' }),
        publishedUpTo: await history.checkpoint(),
        snapshotEvery: config.snapshotEvery,
      });
      closers.push(() => started.close());
      return started;
    };
    if (config.commandLog === null) {
      host = await startLeader(new FileJournal({ dir: join(config.dataDir, 'journal'), fsync: config.journalFsync }));
      container.bind(Engine).toConstantValue(host);
    } else {
      const { brokers } = config.commandLog;
      const log = new KafkaCommandJournal({ brokers, topic: topics.commands, clientId: 'exchange-standby', mode: 'read', logger });
      let snapshotAt = 0;
      const follower: FollowerEngineReader = new FollowerEngineReader(catalog, log, () => {
        // The standby snapshots as it follows, so a take-over replays only a short tail.
        if (follower.engine.lastSequence - snapshotAt < config.snapshotEvery) return;
        snapshotAt = follower.engine.lastSequence;
        snapshots.save(follower.engine.snapshot()).catch((error: unknown) => logger.error({ err: error }, 'standby snapshot failed'));
      }, logger.child({ component: 'standby' }));
      follower.start();
      standby = follower;
      closers.push(() => log.close(), () => follower.close());
      const becomeLeader = async (): Promise<CommandSubmitter> => {
        logger.info({ sequence: follower.engine.lastSequence }, 'engine taking the lead: the request partition is ours');
        // Stopping the replica's consumer takes seconds; the leader recovers on its own, and
        // the request handler must return soon enough to keep this member in the group.
        void follower.close();
        const leader = await startLeader(new KafkaCommandJournal({ brokers, topic: topics.commands, clientId: 'exchange-engine', logger }));
        host = leader;
        return countedSubmitter(leader, metrics);
      };
      const serving = await serveCommandRequests(mq, topics, becomeLeader, (error) => logger.error({ err: error }, 'command request failed'));
      closers.push(() => serving.close());
    }
  }
  const engineSequence = (): number | null => host?.engine.lastSequence ?? standby?.engine.lastSequence ?? null;
  if (roles.has('history')) {
    const onError = (error: unknown): void => logger.warn({ err: error }, 'outcome lag sample failed');
    closers.push(watchOutcomeLag(metrics, () => engineSequence() ?? 0, () => history.checkpoint(), onError));
  }

  if (!roles.has('api')) {
    if (roles.has('history')) closers.push(await consumeOutcomes(mq, topics.outcomes, readSideGroup, readSide, logger));
    // Engine and history processes serve only their health and metrics.
    container.bind<Record<string, WebSocketServer>>(WebSockets).toConstantValue({});
    container.bind<Application>(HttpApp).toConstantValue(
      createHttpApp({ logger, metrics, routes: (app) => serveOperations(app, metrics, engineSequence) }),
    );
    return container;
  }

  // API: HTTP and WebSocket over the engine state (local leader, or a follower of the log).
  await loadAuth(container, config, logger);
  const authenticator = container.get<Authenticator>(Authenticator);
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 });
  countWebSocketClients(wss, metrics);
  let reader: EngineReader;
  let submitter: CommandSubmitter;
  const pushTo: { server: PushServer | null } = { server: null };
  if (host !== null) {
    reader = localEngineReader(host.engine);
    submitter = traces.submitter(countedSubmitter(host, metrics));
  } else {
    const log = new KafkaCommandJournal({ brokers: config.commandLog!.brokers, topic: topics.commands, clientId: 'exchange-api', mode: 'read', logger });
    const follower = new FollowerEngineReader(
      catalog,
      log,
      (outcome) => void pushTo.server?.publish([outcome]),
      logger.child({ component: 'replica' }),
    );
    const remote = new MessageQueueCommandSubmitter(mq, randomUUID(), topics);
    await remote.start();
    follower.start();
    closers.push(() => log.close(), () => remote.close(), () => follower.close());
    reader = follower;
    submitter = traces.submitter(countedSubmitter(remote, metrics));
  }
  const push = new PushServer({
    wss,
    catalog,
    reader,
    formatter: new EventFormatter(catalog),
    logger: logger.child({ component: 'push' }),
    candles: latestCandles(quotation),
    authenticate: async (message, headers) => {
      const result = await authenticateWebSocket(authenticator, { message, headers });
      return result.ok ? { ok: true, userId: result.principal.userId } : result;
    },
  });
  closers.push(async () => push.close());
  if (host === null) {
    pushTo.server = push;
    if (roles.has('history')) closers.push(await consumeOutcomes(mq, topics.outcomes, readSideGroup, readSide, logger));
  } else {
    // With the leader here, push follows the read side so a pushed candle is already stored.
    const withReadSide = roles.has('history');
    const handle: OutcomeHandler = async (outcomes, messages) => {
      if (withReadSide) await readSide(outcomes, messages);
      await push.publish(outcomes);
    };
    closers.push(await consumeOutcomes(mq, topics.outcomes, withReadSide ? readSideGroup : `${topics.outcomes}.push.${randomUUID()}`, handle, logger));
  }
  container.bind<Record<string, WebSocketServer>>(WebSockets).toConstantValue({ '/ws': wss });

  const readYourWrites = new ReadYourWrites(reader, history);
  const trading = new TradingUseCase(new ExchangeGateway(new RequestParser(catalog), submitter), new OrderViews(catalog), readYourWrites);
  const limiter = container.get<RateLimiter>(RateLimiter);
  const ordersLimit = { name: 'orders', rule: config.tradingRateLimit, logger };
  const exchangeRouter = createExchangeRouter({
    trading,
    market: new MarketQueries(catalog, reader),
    accounts: new AccountQueries(reader, history, readYourWrites),
    quotation,
    authenticate: authenticate(authenticator),
    requireTrade: requirePermission('trade'),
    userOf: (res) => principalOf(res).userId,
    limitTrading: limitPerUser(limiter, ordersLimit.rule, ordersLimit),
    faucet: config.faucet ?? undefined,
  });
  const limitOrders = rateLimitCheck(limiter, ordersLimit);
  const authorizeTrade = async (request: LeanRequest, headers: LeanHeaders): Promise<string> => {
    const credentials = { method: request.method, url: request.url, headers: request.headers, body: () => request.rawBody.toString('utf8'), mountPath: API };
    const principal = await authenticateHttp(authenticator, credentials);
    assertPermission(principal, 'trade');
    await limitOrders(principal.userId, headers);
    return principal.userId;
  };
  const authRouter = container.get<Router>(AuthRouter);
  const webRoot = existsSync(join(config.webRoot, 'index.html')) ? config.webRoot : null;
  const traceRequests = traces.middleware();
  container.bind<Application>(HttpApp).toConstantValue(
    createHttpApp({
      logger,
      metrics,
      bodyLimit: '16kb',
      before: traceRequests === null ? [] : [traceRequests],
      leanRoutes: createOrderEntryRoutes({ trading, mountPath: API, authorizeTrade }),
      routes: (app) => {
        serveOperations(app, metrics, () => reader.engine.lastSequence);
        app.use(API, authRouter);
        app.use(API, exchangeRouter);
        if (webRoot !== null) app.use(express.static(webRoot, { index: 'index.html', maxAge: '1h' }));
      },
    }),
  );
  return container;
}

/** What consumes engine outcomes: decoded, and as the messages that carried them. */
type OutcomeHandler = (outcomes: readonly CommandOutcome[], messages: readonly Buffer[]) => Promise<void>;

/**
 * The history database, its stores bound in the container, and the projection of engine
 * outcomes into it: in a worker thread that owns the database, or on this thread.
 */
async function openReadSide(
  container: Container,
  config: ExchangeConfig,
  catalog: ProductCatalog,
  logger: Logger,
): Promise<OutcomeHandler> {
  const closers = container.get<Array<() => Promise<void>>>(Lifecycle);
  container.load(marketDataModule(catalog));
  if (config.readSide === 'worker') {
    const worker = await WorkerReadSide.open({
      sql: config.sql.history,
      persistEveryMs: PERSIST_EVERY_MS,
      currencies: DEFAULT_CURRENCIES,
      products: DEFAULT_PRODUCTS,
      onPersistError: (error) => logger.error({ err: error }, 'history persist failed'),
    });
    closers.push(() => worker.close());
    container.load(workerReadSideModule(worker));
    return (_outcomes, messages) => worker.projectMessages(messages);
  }
  const historyDb = await openSqlDatabase(config.sql.history, exchangeSqlSchema);
  closers.push(() => historyDb.close());
  if (config.marketData.kind === 'mongo') {
    const mongo = await openMongoDatabase({ url: config.marketData.url });
    closers.push(() => mongo.close());
    container.bind(OrderHistoryStore).toConstantValue(new TypeormOrderHistoryStore(historyDb.dataSource));
    container.load(mongoMarketDataModule(await openMongoMarketData(mongo.db)));
  } else {
    container.load(exchangeSqlRepositoryModule(historyDb.dataSource));
  }
  // What a crash loses here the engine republishes from the journal at start.
  const stopPersisting = persistPeriodically(historyDb, PERSIST_EVERY_MS, (error) => logger.error({ err: error }, 'history persist failed'));
  closers.push(async () => stopPersisting());
  const projector = container.get(ReadSideProjector);
  return (outcomes) => projector.project(outcomes);
}

/** `/api/health` (with the engine sequence this process has applied) and `/metrics`. */
function serveOperations(app: Application, metrics: Metrics, sequence: () => number | null): void {
  app.get('/api/health', (_req, res) => void res.json({ status: 'ok', sequence: sequence() }));
  app.get('/metrics', async (_req, res) => {
    const { contentType, body } = await metrics.expose();
    res.type(contentType).send(body);
  });
}

/** Accounts, sessions, API keys and rate limits: the auth domain on its own SQL database. */
async function loadAuth(container: Container, config: ExchangeConfig, logger: Logger): Promise<void> {
  const keys = await resolveAuthKeys(config.keys, logger);
  const authDb = await openSqlDatabase(config.sql.auth, authSqlSchema);
  container.get<Array<() => Promise<void>>>(Lifecycle).push(() => authDb.close());
  container.load(
    cacheModule(config.cache),
    rateLimitModule(config.rateLimiter),
    authTypeormRepositoryModule(authDb.dataSource, { sessionCache: config.sessionCache }),
    authModule(authSettings(keys, config.auth)),
  );
}

/** Subscribes a consumer of the engine outcomes; answers its closer. */
async function consumeOutcomes(
  mq: MessageQueue,
  topic: string,
  groupId: string,
  handle: OutcomeHandler,
  logger: Logger,
): Promise<() => Promise<void>> {
  const subscription: Subscription = await subscribeOutcomes(mq, topic, {
    groupId,
    handle,
    onError: (error) => logger.error({ err: error, groupId }, 'outcome consumer failed; the batch will be delivered again'),
  });
  return () => subscription.close();
}

/** The 60 s candle of every product that traded in a batch, as stored by the quotation projector. */
function latestCandles(quotation: QuotationQueries): CandleFeed {
  return {
    candlesChangedBy: async (outcomes) => {
      const traded = new Set<string>();
      for (const outcome of outcomes) for (const event of outcome.events) if (event.type === 'match') traded.add(event.productId);
      const changed = [];
      for (const productId of traded) {
        const [candle] = await quotation.candles(productId, { granularity: 60 });
        if (candle !== undefined) changed.push({ productId, candle });
      }
      return changed;
    },
  };
}
