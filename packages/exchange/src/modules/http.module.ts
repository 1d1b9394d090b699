import express, { type Application } from 'express';
import { ContainerModule, type ContainerModuleLoadOptions } from 'inversify';
import type { WebSocketServer } from 'ws';
import { AuthRoutes } from '@sd/auth/auth.module';
import { AUTH_SECURITY } from '@sd/auth/auth-routes';
import { authorizer, principalCheck } from '@sd/auth/authorize';
import { Authenticator } from '@sd/domain/auth/authenticator';
import { UserRepository } from '@sd/domain/auth/user';
import type { HealthCheck } from '@sd/domain/health';
import { Logger } from '@sd/domain/logger';
import { RateLimiter, type RateLimitRule } from '@sd/domain/rate-limit';
import type { ApiRoute } from '@sd/http/api-route';
import { liveRoutes, readinessRoute } from '@sd/http/health';
import { createHttpApp, type HttpAppOptions, type NodeHandler } from '@sd/http/http-app';
import { HttpApp, WebSockets } from '@sd/http/http-app.module';
import { Metrics } from '@sd/metrics/metrics';
import { rateLimitCheck } from '@sd/ratelimit/rate-limit.middleware';
import { adminRoutes } from '../delivery/http/admin.routes';
import { LiveFields } from '../delivery/http/api-schemas';
import { exchangeRoutes } from '../delivery/http/exchange.routes';
import { fundsRoutes } from '../delivery/http/funds.routes';
import { sandboxRoutes } from '../delivery/http/sandbox.routes';
import { EXCHANGE_LANES } from '../delivery/http/route-table';
import { OrderEntry } from '../delivery/ws/order-entry';
import { PushServer } from '../delivery/ws/push-server';
import { AccountQueries } from '../usecase/read/account-queries';
import { HistoryQueries } from '../usecase/read/history/history-queries';
import { MarketQueries } from '../usecase/read/market-queries';
import { QuotationQueries } from '../usecase/read/quotation/quotation-queries';
import { FundsUseCase } from '../usecase/write/funds.usecase';
import { MarketAdminUseCase } from '../usecase/write/market-admin.usecase';
import { Sandbox } from '../usecase/sandbox/sandbox';
import { TradingUseCase } from '../usecase/write/trading.usecase';
import { ExchangeWebSocket } from './api.module';
import { ExchangeHealth } from './process.module';
import { EngineSequence } from './settings';

/** Where the REST API is mounted: both lanes' routes, the OpenAPI document and the signatures they check. */
export const API_MOUNT = '/api';
/** Largest JSON body an API route accepts. */
export const BODY_LIMIT = '16kb';

/** How a process serves HTTP: what every app that composes the exchange decides. */
export interface ExchangeHttpConfig {
  trustProxy: HttpAppOptions['trustProxy'];
  /** Node middleware that sees every request of both lanes first (request traces). */
  before: readonly NodeHandler[];
}

export interface CoinbaseHttpConfig extends ExchangeHttpConfig, CoinbaseRoutesConfig {
  /** The web page's files, served at `/`; null: no page. */
  webRoot: string | null;
}

/** What the Coinbase-style API's routes need of the config. */
export interface CoinbaseRoutesConfig {
  /** Order entry and cancels per user. */
  tradingRateLimit: RateLimitRule;
  /** The test-funds faucet: the largest deposit per call, or null when there is none. */
  faucet: { maxAmount: string } | null;
  /** Emails of the accounts that may use the admin routes. */
  admins: ReadonlySet<string>;
}

/** The Coinbase-style API's routes (users, exchange, admin) for the mount path they are served under (signatures may cover it). */
export const CoinbaseRoutes = Symbol.for('sd.exchange.CoinbaseRoutes');
export type CoinbaseRoutes = (mountPath: string) => ApiRoute[];

/**
 * The Coinbase-style delivery of an API process: the exchange's, the users' and the admin's
 * routes on the lanes of the route table (with the OpenAPI document), readiness, the web page,
 * and the WebSocket at `/ws`. Needs the API role started and the auth prelude loaded.
 */
export function coinbaseHttpModule(config: CoinbaseHttpConfig): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bindCoinbaseRoutes(bind, config);
    bind<Record<string, WebSocketServer>>(WebSockets).toResolvedValue((wss: WebSocketServer) => ({ '/ws': wss }), [ExchangeWebSocket]);
    bind<Application>(HttpApp)
      .toResolvedValue(
        (logger: Logger, metrics: Metrics, coinbaseRoutes: CoinbaseRoutes, sequence: EngineSequence, checks: HealthCheck[]) => {
          const webRoot = config.webRoot;
          return createHttpApp({
            logger,
            metrics,
            bodyLimit: BODY_LIMIT,
            trustProxy: config.trustProxy,
            before: config.before,
            api: {
              mountPath: API_MOUNT,
              routes: [...live(sequence), ...coinbaseRoutes(API_MOUNT)],
              lanes: EXCHANGE_LANES,
              document: { title: 'Exchange API', version: '1', description:
                'Coinbase-Exchange style REST API of the exchange. A 503 carries Retry-After; its code says whether the command was applied: EXCHANGE.JOURNAL_UNAVAILABLE and the others, not; EXCHANGE.OUTCOME_UNKNOWN, perhaps (the journal failed mid-write): look the order up by client_oid (GET /orders/client:{client_oid}) or send it again with the same client_oid, never applied twice.', security: AUTH_SECURITY },
            },
            routes: (app) => {
              app.use(readinessRoute({ checks }));
              if (webRoot !== null) app.use(express.static(webRoot, { index: 'index.html', maxAge: '1h' }));
            },
          });
        },
        [Logger, Metrics, CoinbaseRoutes, EngineSequence, ExchangeHealth],
      )
      .inSingletonScope();
  });
}

/** Binds `CoinbaseRoutes`: for a module that serves the Coinbase-style API, at `/api` or beside another; its `/ws` takes orders too. */
export function bindCoinbaseRoutes(bind: ContainerModuleLoadOptions['bind'], config: CoinbaseRoutesConfig): void {
  bind<CoinbaseRoutes>(CoinbaseRoutes)
    .toResolvedValue(
      async (
        logger: Logger,
        trading: TradingUseCase,
        funds: FundsUseCase,
        market: MarketQueries,
        accounts: AccountQueries,
        quotation: QuotationQueries,
        admin: MarketAdminUseCase,
        history: HistoryQueries,
        authenticator: Authenticator,
        limiter: RateLimiter,
        users: UserRepository,
        authRoutes: ApiRoute[],
        push: PushServer,
        sandbox: Sandbox,
      ) => {
        const ordersLimit = rateLimitCheck(limiter, { name: 'orders', rule: config.tradingRateLimit, logger });
        // Order entry on the WebSocket: the REST order routes' checks and limit, per connection's principal.
        push.serve(new OrderEntry({ trading, authorize: principalCheck({ permission: 'trade', limit: ordersLimit }), logger: logger.child({ component: 'ws-orders' }) }));
        const isAdmin = async (userId: string): Promise<boolean> => config.admins.has((await users.findById(userId))?.email ?? '');
        return (mountPath: string): ApiRoute[] => {
          const signedIn = authorizer(authenticator, { mountPath });
          const trade = authorizer(authenticator, { mountPath, permission: 'trade', limit: ordersLimit });
          return [
            ...authRoutes,
            ...exchangeRoutes({
              trading,
              funds,
              market,
              accounts,
              quotation,
              signedIn,
              trade,
              readSideCheckpoint: () => history.checkpoint(),
              faucet: config.faucet ?? undefined,
            }),
            ...fundsRoutes({ funds, accounts, signedIn, trade }),
            ...adminRoutes({ admin, market, signedIn, isAdmin }),
            ...sandboxRoutes({ sandbox, signedIn }),
          ];
        };
      },
      [Logger, TradingUseCase, FundsUseCase, MarketQueries, AccountQueries, QuotationQueries, MarketAdminUseCase, HistoryQueries, Authenticator, RateLimiter, UserRepository, AuthRoutes, PushServer, Sandbox],
    )
    .inSingletonScope();
}

/** The HTTP of an engine or history process: its liveness (with the engine sequence) and readiness only. */
export function operationsHttpModule(config: ExchangeHttpConfig): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<Record<string, WebSocketServer>>(WebSockets).toConstantValue({});
    bind<Application>(HttpApp)
      .toResolvedValue(
        (logger: Logger, metrics: Metrics, sequence: EngineSequence, checks: HealthCheck[]) =>
          createHttpApp({
            logger,
            metrics,
            trustProxy: config.trustProxy,
            before: config.before,
            api: { mountPath: API_MOUNT, routes: live(sequence), lanes: EXCHANGE_LANES },
            routes: (app) => app.use(readinessRoute({ checks })),
          }),
        [Logger, Metrics, EngineSequence, ExchangeHealth],
      )
      .inSingletonScope();
  });
}

/** Liveness (`/api/health`, `/api/health/live`): the engine sequence this process has applied. */
export function live(sequence: EngineSequence): ApiRoute[] {
  return liveRoutes({ live: () => ({ sequence: sequence() }), fields: LiveFields });
}
