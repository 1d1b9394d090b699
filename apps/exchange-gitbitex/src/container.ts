import type { Application, Router } from 'express';
import type { Container } from 'inversify';
import type { WebSocketServer } from 'ws';
import { createExchangeProcess, serveHealth, serveHealthOnly, type ExchangeContainerOptions, type ExchangeProcess } from '@sd/app-exchange/container';
import { countWebSocketClients } from '@sd/app-exchange/instrumenting/exchange-metrics';
import { GitbitexUsersRouter } from '@sd/auth/auth.module';
import { limitPerUser } from '@sd/auth/rate-limits';
import { requirePermission } from '@sd/auth/require-permission';
import { Authenticator } from '@sd/domain/auth/authenticator';
import { Logger } from '@sd/domain/logger';
import { RateLimiter } from '@sd/domain/rate-limit';
import { GitbitexApi } from '@sd/exchange/delivery/gitbitex/gitbitex-api';
import { createGitbitexRouter } from '@sd/exchange/delivery/gitbitex/gitbitex.router';
import { GitbitexPushServer, GitbitexWebSocket, gitbitexPushModule } from '@sd/exchange/modules/gitbitex.module';
import { AccountQueries } from '@sd/exchange/usecase/read/account-queries';
import { MarketQueries } from '@sd/exchange/usecase/read/market-queries';
import { QuotationQueries } from '@sd/exchange/usecase/read/quotation/quotation-queries';
import { TradingUseCase } from '@sd/exchange/usecase/write/trading.usecase';
import { authenticate, principalOf } from '@sd/http/authenticate';
import { createHttpApp } from '@sd/http/http-app';
import { HttpApp, WebSockets } from '@sd/http/http-app.module';
import { serveSinglePage } from '@sd/http/single-page';
import { Metrics } from '@sd/metrics/metrics';
import type { GitbitexConfig } from './config';

export { HttpApp, WebSockets };

/** Where gitbitex-web calls the API: every URL it requests is prefixed with it. */
const API = '/api';

/**
 * Builds the app from its config; `main` and the tests both start here. The same process as
 * the exchange app (`createExchangeProcess`: auth and exchange, embedded or distributed
 * roles); its API role serves gitbitex-web: the REST API at `/api`, the WebSocket at `/ws`,
 * and the page (GITBITEX_WEB_DIR) at every other path.
 */
export async function createGitbitexContainer(config: GitbitexConfig, options: ExchangeContainerOptions = {}): Promise<Container> {
  const exchange = await createExchangeProcess(config, { ...options, name: 'exchange-gitbitex' });
  if (!config.roles.has('api')) return serveHealthOnly(exchange);
  const { container } = exchange;
  container.load(gitbitexPushModule());
  await container.getAsync(GitbitexPushServer);
  const wss = container.get<WebSocketServer>(GitbitexWebSocket);
  countWebSocketClients(wss, container.get(Metrics));
  container.bind(WebSockets).toConstantValue({ '/ws': wss });
  container.bind<Application>(HttpApp).toConstantValue(await gitbitexHttpApp(exchange, config));
  return container;
}

/** gitbitex-web's REST API (users, then the exchange), the health routes, and the page. */
async function gitbitexHttpApp({ container, sequence, checks, traceRequests }: ExchangeProcess, config: GitbitexConfig): Promise<Application> {
  const [trading, market, accounts, quotation] = await Promise.all([
    container.getAsync(TradingUseCase),
    container.getAsync(MarketQueries),
    container.getAsync(AccountQueries),
    container.getAsync(QuotationQueries),
  ]);
  const logger = container.get<Logger>(Logger);
  const authenticator = container.get<Authenticator>(Authenticator);
  const limiter = container.get<RateLimiter>(RateLimiter);
  const exchangeRouter = createGitbitexRouter({
    api: new GitbitexApi({ trading, market, accounts, quotation }),
    authenticate: authenticate(authenticator),
    requireTrade: requirePermission('trade'),
    userOf: (res) => principalOf(res).userId,
    limitTrading: limitPerUser(limiter, config.tradingRateLimit, { name: 'orders', logger }),
    faucet: config.faucet ?? undefined,
  });
  return createHttpApp({
    logger,
    metrics: container.get(Metrics),
    bodyLimit: '16kb',
    trustProxy: config.trustProxy,
    before: traceRequests === null ? [] : [traceRequests],
    routes: (app) => {
      serveHealth(app, checks, sequence);
      app.use(API, container.get<Router>(GitbitexUsersRouter));
      app.use(API, exchangeRouter);
      if (config.webDir !== null) serveSinglePage(app, { dir: config.webDir, except: [API, '/ws'] });
    },
  });
}
