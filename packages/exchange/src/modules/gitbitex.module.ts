import type { Application } from 'express';
import { ContainerModule } from 'inversify';
import { WebSocketServer } from 'ws';
import { Lifecycle } from '@sd/app/app-container';
import { GitbitexUserRoutes } from '@sd/auth/auth.module';
import { AUTH_SECURITY } from '@sd/auth/auth-routes';
import { authorizer } from '@sd/auth/authorize';
import { Authenticator } from '@sd/domain/auth/authenticator';
import { Clock } from '@sd/domain/exchange/clock';
import type { HealthCheck } from '@sd/domain/health';
import { Logger } from '@sd/domain/logger';
import { RateLimiter } from '@sd/domain/rate-limit';
import type { ApiRoute } from '@sd/http/api-route';
import { apiRouter } from '@sd/http/express-lane';
import { readinessRoute } from '@sd/http/health';
import { createHttpApp } from '@sd/http/http-app';
import { HttpApp, WebSockets } from '@sd/http/http-app.module';
import { serveSinglePage } from '@sd/http/single-page';
import { Metrics } from '@sd/metrics/metrics';
import { rateLimitCheck } from '@sd/ratelimit/rate-limit.middleware';
import { GitbitexApi } from '../delivery/gitbitex/gitbitex-api';
import { GitbitexPush, withCookieFallback } from '../delivery/gitbitex/gitbitex-push';
import { gitbitexRoutes } from '../delivery/gitbitex/gitbitex.routes';
import { GITBITEX_LANES } from '../delivery/gitbitex/route-table';
import { faucetRoute } from '../delivery/http/exchange.routes';
import { CandleTopic } from '../repository/mq/candle-topic';
import { EngineReader } from '../usecase/core/engine/engine-reader';
import { EventFormatter } from '../usecase/core/money/event-format';
import { OrderViews } from '../usecase/core/order-view';
import { AccountQueries } from '../usecase/read/account-queries';
import { MarketQueries } from '../usecase/read/market-queries';
import { QuotationQueries } from '../usecase/read/quotation/quotation-queries';
import { FundsUseCase } from '../usecase/write/funds.usecase';
import { TradingUseCase } from '../usecase/write/trading.usecase';
import { ExchangeWebSocket, pushAuthentication, startPush } from './api.module';
import { API_MOUNT, BODY_LIMIT, bindCoinbaseRoutes, CoinbaseRoutes, live, type CoinbaseRoutesConfig, type ExchangeHttpConfig } from './http.module';
import { ExchangeHealth } from './process.module';
import { EngineSequence } from './settings';

/** The WebSocket server of gitbitex-web's `/ws`, upgraded by the app's HTTP server. */
export const GitbitexWebSocket = Symbol.for('sd.exchange.GitbitexWebSocket');
/** The push server speaking gitbitex-web's protocol (`GitbitexPush`) on `GitbitexWebSocket`; start it with the API. */
export const GitbitexPushServer = Symbol.for('sd.exchange.GitbitexPushServer');

export interface GitbitexHttpConfig extends ExchangeHttpConfig, CoinbaseRoutesConfig {
  /** A gitbitex-web build (`index.html`, `assets/`) served at every path outside the APIs; null: the APIs alone. */
  webDir: string | null;
  /** Where the Coinbase-style API is served beside gitbitex-web's (`<path>/api`, `<path>/ws`); null: not at all. */
  coinbaseApiPath: string | null;
}

/**
 * gitbitex-web's delivery of an API process, beside `apiModule`'s use cases: its REST API at
 * `/api` (the users API of the auth domain's, the exchange's, the faucet) on the lanes of its
 * route table with its OpenAPI document, readiness, its WebSocket at `/ws` (the same push
 * mechanics, fed by the same engine state and candle topic, in gitbitex's dialect), the page,
 * and optionally the Coinbase-style API under `coinbaseApiPath`. Needs the API role started
 * and the auth prelude loaded.
 */
export function gitbitexHttpModule(config: GitbitexHttpConfig): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<WebSocketServer>(GitbitexWebSocket).toConstantValue(new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 }));
    bind(GitbitexPushServer)
      .toResolvedValue(
        (wss: WebSocketServer, reader: EngineReader, quotation: QuotationQueries, authenticator: Authenticator, candles: CandleTopic, logger: Logger, lifecycle: Lifecycle) => {
          const { catalog } = reader.engine;
          const formatter = new EventFormatter(catalog);
          const pushLogger = logger.child({ component: 'gitbitex-push' });
          const dialect = new GitbitexPush({ catalog, reader, formatter, views: new OrderViews(catalog), stats: quotation, logger: pushLogger });
          return startPush({ wss, reader, formatter, dialect, authenticate: withCookieFallback(pushAuthentication(authenticator)), logger: pushLogger }, candles, lifecycle);
        },
        [GitbitexWebSocket, EngineReader, QuotationQueries, Authenticator, CandleTopic, Logger, Lifecycle],
      )
      .inSingletonScope();
    const coinbasePath = config.coinbaseApiPath;
    if (coinbasePath !== null) bindCoinbaseRoutes(bind, config);
    bind<Record<string, WebSocketServer>>(WebSockets).toResolvedValue(
      (gitbitex: WebSocketServer, coinbase: WebSocketServer) => ({ '/ws': gitbitex, ...(coinbasePath === null ? {} : { [`${coinbasePath}/ws`]: coinbase }) }),
      [GitbitexWebSocket, ExchangeWebSocket],
    );
    bind<Application>(HttpApp)
      .toResolvedValue(
        (
          logger: Logger,
          metrics: Metrics,
          trading: TradingUseCase,
          funds: FundsUseCase,
          market: MarketQueries,
          accounts: AccountQueries,
          quotation: QuotationQueries,
          clock: Clock,
          authenticator: Authenticator,
          limiter: RateLimiter,
          userRoutes: ApiRoute[],
          sequence: EngineSequence,
          checks: HealthCheck[],
          coinbaseRoutesAt: CoinbaseRoutes | undefined,
        ) => {
          const trade = authorizer(authenticator, { mountPath: API_MOUNT, permission: 'trade', limit: rateLimitCheck(limiter, { name: 'orders', rule: config.tradingRateLimit, logger }) });
          const api = new GitbitexApi({ trading, funds, market, accounts, quotation, clock: () => clock.now() });
          const routes: ApiRoute[] = [
            ...live(sequence),
            ...userRoutes,
            ...gitbitexRoutes({ api, signedIn: authorizer(authenticator, { mountPath: API_MOUNT }), trade }),
            ...(config.faucet === null ? [] : [faucetRoute({ funds, accounts, trade, maxAmount: config.faucet.maxAmount })]),
          ];
          // Beside gitbitex-web's: the Coinbase-style API of the exchange app, through express.
          const coinbaseApi = coinbasePath === null ? null : `${coinbasePath}${API_MOUNT}`;
          const coinbaseRoutes = coinbaseApi === null || coinbaseRoutesAt === undefined ? null : coinbaseRoutesAt(coinbaseApi);
          return createHttpApp({
            logger,
            metrics,
            bodyLimit: BODY_LIMIT,
            trustProxy: config.trustProxy,
            before: config.before,
            api: {
              mountPath: API_MOUNT,
              routes,
              lanes: GITBITEX_LANES,
              document: { title: 'gitbitex-web API', version: '1', description: 'The REST API gitbitex-web calls, over the exchange.', security: AUTH_SECURITY },
            },
            routes: (app) => {
              app.use(readinessRoute({ checks }));
              app.get(`${API_MOUNT}/products/:productId/svg`, async (req, res) => void res.type('image/svg+xml').set('cache-control', 'max-age=60').send(await api.sparkline(req.params.productId)));
              if (coinbaseApi !== null && coinbaseRoutes !== null) app.use(coinbaseApi, apiRouter(coinbaseRoutes, { logger, bodyLimit: BODY_LIMIT }));
              if (config.webDir !== null) serveSinglePage(app, { dir: config.webDir, except: [API_MOUNT, '/ws', ...(coinbasePath === null ? [] : [coinbasePath])] });
            },
          });
        },
        [
          Logger,
          Metrics,
          TradingUseCase,
          FundsUseCase,
          MarketQueries,
          AccountQueries,
          QuotationQueries,
          Clock,
          Authenticator,
          RateLimiter,
          GitbitexUserRoutes,
          EngineSequence,
          ExchangeHealth,
          { serviceIdentifier: CoinbaseRoutes, optional: true },
        ],
      )
      .inSingletonScope();
  });
}
