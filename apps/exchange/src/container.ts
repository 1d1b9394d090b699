import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Container } from 'inversify';
import type { WebSocketServer } from 'ws';
import { createAppContainer, Lifecycle } from '@sd/app/app-container';
import { loadAuthApp } from '@sd/auth/auth-app.module';
import { Logger } from '@sd/domain/logger';
import { ExchangeWebSocket } from '@sd/exchange/modules/api.module';
import { HistoryQueries, startExchangeProcess } from '@sd/exchange/modules/process.module';
import { HistoryWriter } from '@sd/exchange/modules/history.module';
import { coinbaseHttpModule, operationsHttpModule, type ExchangeHttpConfig } from '@sd/exchange/modules/http.module';
import { EngineSequence } from '@sd/exchange/modules/settings';
import { HttpApp, WebSockets } from '@sd/http/http-app.module';
import { Metrics } from '@sd/metrics/metrics';
import { createTracing } from '@sd/tracing/tracing';
import type { ExchangeConfig } from './config';
import { countWebSocketClients, instrumentEngine, watchOutcomeLag } from './instrumenting/exchange-metrics';
import { RequestTraces, untraced } from './instrumenting/exchange-tracing';

export { HttpApp, WebSockets };
/** The tracer provider of this process (`config.tracing` picks the exporter). */
export const Tracing = Symbol.for('app.exchange.Tracing');

export interface ExchangeContainerOptions {
  /** Replaces the pino logger built from `config.logLevel`. */
  logger?: Logger;
}

/**
 * Builds the exchange app from its config; `main` and the tests both start here. Embedded:
 * one process with every role on a file journal, memory MQ and embedded SQL. Distributed:
 * Kafka is the command log and the message queue; each process runs the roles it is given.
 * Auth + exchange, served Coinbase-style over HTTP and WebSocket.
 */
export async function createExchangeContainer(config: ExchangeConfig, options: ExchangeContainerOptions = {}): Promise<Container> {
  const { container, http } = await startExchangeApp(config, { ...options, name: 'exchange' });
  const webRoot = existsSync(join(config.webRoot, 'index.html')) ? config.webRoot : null;
  container.load(
    config.roles.has('api')
      ? coinbaseHttpModule({ ...http, tradingRateLimit: config.tradingRateLimit, faucet: config.faucet, admins: config.admins, webRoot })
      : operationsHttpModule(http),
  );
  return container;
}

/**
 * The exchange as every app serving it runs it, before its delivery: the app container with
 * tracing and metrics, the auth prelude for the API role, the roles started
 * (`startExchangeProcess`). Answers the container and how its HTTP is to be served.
 */
export async function startExchangeApp(config: ExchangeConfig, options: ExchangeContainerOptions & { name: string }): Promise<{ container: Container; http: ExchangeHttpConfig }> {
  const container = createAppContainer({ name: options.name, logLevel: config.logLevel, logger: options.logger });
  const metrics = container.get(Metrics);
  const lifecycle = container.get<Lifecycle>(Lifecycle);
  const tracing = createTracing({ serviceName: `${options.name}-${[...config.roles].join('-')}`, ...config.tracing });
  lifecycle.onStop(() => tracing.shutdown());
  container.bind(Tracing).toConstantValue(tracing);
  const traces = config.tracing.exporter === 'none' ? untraced : new RequestTraces(tracing.tracer);
  container.onActivation<WebSocketServer>(ExchangeWebSocket, (_context, wss) => countWebSocketClients(wss, metrics));

  if (config.roles.has('api')) {
    const auth = { kind: 'embedded', keys: config.keys, settings: config.auth, sessionCache: config.sessionCache } as const;
    await loadAuthApp(container, { sql: config.sql.auth, cache: config.cache, rateLimiter: config.rateLimiter, auth }, { holds: 'auth' });
  }
  await startExchangeProcess(container, {
    roles: config.roles,
    commandLog: config.commandLog,
    mq: config.mq,
    settings: { ...config.market, topics: config.topics, snapshotEvery: config.snapshotEvery, instrumentation: instrumentEngine(metrics, traces) },
    readSide: { sql: config.sql.history, marketData: config.marketData, thread: config.readSide },
    storage: { dataDir: config.dataDir, journalFsync: config.journalFsync },
    readyMaxLag: config.readyMaxLag,
    sandbox: config.sandbox,
  });
  if (container.isBound(HistoryWriter)) {
    const [history, sequence] = await Promise.all([container.getAsync(HistoryQueries), container.getAsync<EngineSequence>(EngineSequence)]);
    lifecycle.onStop(watchOutcomeLag(metrics, () => sequence() ?? 0, () => history.checkpoint(), (error) => container.get<Logger>(Logger).warn({ err: error }, 'outcome lag sample failed')));
  }
  const traceRequests = traces.middleware();
  return { container, http: { trustProxy: config.trustProxy, before: traceRequests === null ? [] : [traceRequests] } };
}
