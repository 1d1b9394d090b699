import type { Application } from 'express';
import type { Container } from 'inversify';
import type { WebSocketServer } from 'ws';
import { coinbaseRoutes, createExchangeProcess, liveRoutesOf, serveHealthOnly, type ExchangeContainerOptions, type ExchangeProcess } from '@sd/app-exchange/container';
import { countWebSocketClients } from '@sd/app-exchange/instrumenting/exchange-metrics';
import { GitbitexUserRoutes } from '@sd/auth/auth.module';
import { AUTH_SECURITY } from '@sd/auth/auth-routes';
import { authorizer } from '@sd/auth/authorize';
import { Authenticator } from '@sd/domain/auth/authenticator';
import { Logger } from '@sd/domain/logger';
import { RateLimiter } from '@sd/domain/rate-limit';
import { GitbitexApi } from '@sd/exchange/delivery/gitbitex/gitbitex-api';
import { gitbitexRoutes } from '@sd/exchange/delivery/gitbitex/gitbitex.routes';
import { GITBITEX_LANES } from '@sd/exchange/delivery/gitbitex/route-table';
import { faucetRoute } from '@sd/exchange/delivery/http/exchange.routes';
import { PushServer } from '@sd/exchange/delivery/ws/push-server';
import { ExchangeWebSocket } from '@sd/exchange/modules/api.module';
import { GitbitexPushServer, GitbitexWebSocket, gitbitexPushModule } from '@sd/exchange/modules/gitbitex.module';
import { AccountQueries } from '@sd/exchange/usecase/read/account-queries';
import { MarketQueries } from '@sd/exchange/usecase/read/market-queries';
import { QuotationQueries } from '@sd/exchange/usecase/read/quotation/quotation-queries';
import { TradingUseCase } from '@sd/exchange/usecase/write/trading.usecase';
import type { ApiRoute } from '@sd/http/api-route';
import { apiRouter } from '@sd/http/express-lane';
import { readinessRoute } from '@sd/http/health';
import { createHttpApp } from '@sd/http/http-app';
import { HttpApp, WebSockets } from '@sd/http/http-app.module';
import { serveSinglePage } from '@sd/http/single-page';
import { Metrics } from '@sd/metrics/metrics';
import { rateLimitCheck } from '@sd/ratelimit/rate-limit.middleware';
import type { GitbitexConfig } from './config';

export { HttpApp, WebSockets };

/** Where gitbitex-web calls the API: every URL it requests is prefixed with it. */
const API = '/api';

/**
 * Builds the app from its config; `main` and the tests both start here. The same process as
 * the exchange app (`createExchangeProcess`: auth and exchange, embedded or distributed
 * roles); its API role serves gitbitex-web: the REST API at `/api`, the WebSocket at `/ws`,
 * and the page (GITBITEX_WEB_DIR) at every other path; and, with COINBASE_API_PATH, the
 * exchange app's Coinbase-style API and WebSocket beside them under that path.
 */
export async function createGitbitexContainer(config: GitbitexConfig, options: ExchangeContainerOptions = {}): Promise<Container> {
  const exchange = await createExchangeProcess(config, { ...options, name: 'exchange-gitbitex' });
  if (!config.roles.has('api')) return serveHealthOnly(exchange);
  const { container } = exchange;
  container.load(gitbitexPushModule());
  await container.getAsync(GitbitexPushServer);
  const webSockets: Record<string, WebSocketServer> = { '/ws': container.get<WebSocketServer>(GitbitexWebSocket) };
  if (config.coinbaseApiPath !== null) {
    await container.getAsync(PushServer);
    webSockets[`${config.coinbaseApiPath}/ws`] = container.get<WebSocketServer>(ExchangeWebSocket);
  }
  for (const wss of Object.values(webSockets)) countWebSocketClients(wss, container.get(Metrics));
  container.bind(WebSockets).toConstantValue(webSockets);
  container.bind<Application>(HttpApp).toConstantValue(await gitbitexHttpApp(exchange, config));
  return container;
}

/** gitbitex-web's REST API (users, then the exchange, then the faucet), the health routes, and the page. */
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
  const trade = authorizer(authenticator, { mountPath: API, permission: 'trade', limit: rateLimitCheck(limiter, { name: 'orders', rule: config.tradingRateLimit, logger }) });
  // Beside gitbitex-web's: the Coinbase-style API of the exchange app, through express.
  const coinbase = config.coinbaseApiPath === null ? null : { path: `${config.coinbaseApiPath}/api`, routes: await coinbaseRoutes(container, config, `${config.coinbaseApiPath}/api`) };
  const routes: ApiRoute[] = [
    ...liveRoutesOf(sequence),
    ...container.get<ApiRoute[]>(GitbitexUserRoutes),
    ...gitbitexRoutes({ api: new GitbitexApi({ trading, market, accounts, quotation }), signedIn: authorizer(authenticator, { mountPath: API }), trade }),
    ...(config.faucet === null ? [] : [faucetRoute({ trading, accounts, trade, maxAmount: config.faucet.maxAmount })]),
  ];
  return createHttpApp({
    logger,
    metrics: container.get(Metrics),
    bodyLimit: '16kb',
    trustProxy: config.trustProxy,
    before: traceRequests === null ? [] : [traceRequests],
    api: {
      mountPath: API,
      routes,
      lanes: GITBITEX_LANES,
      document: { title: 'gitbitex-web API', version: '1', description: 'The REST API gitbitex-web calls, over the exchange.', security: AUTH_SECURITY },
    },
    routes: (app) => {
      app.use(readinessRoute({ checks }));
      if (coinbase !== null) app.use(coinbase.path, apiRouter(coinbase.routes, { logger, bodyLimit: '16kb' }));
      if (config.webDir !== null) serveSinglePage(app, { dir: config.webDir, except: [API, '/ws', ...(config.coinbaseApiPath === null ? [] : [config.coinbaseApiPath])] });
    },
  });
}
