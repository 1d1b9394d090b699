import type { Container } from 'inversify';
import type { WebSocketServer } from 'ws';
import { startExchangeApp, type ExchangeContainerOptions } from '@sd/app-exchange/container';
import { countWebSocketClients } from '@sd/app-exchange/instrumenting/exchange-metrics';
import { GitbitexPushServer, GitbitexWebSocket, gitbitexHttpModule } from '@sd/exchange/modules/gitbitex.module';
import { operationsHttpModule } from '@sd/exchange/modules/http.module';
import { HttpApp, WebSockets } from '@sd/http/http-app.module';
import { Metrics } from '@sd/metrics/metrics';
import type { GitbitexConfig } from './config';

export { HttpApp, WebSockets };

/**
 * Builds the app from its config; `main` and the tests both start here. The exchange as the
 * exchange app runs it (`startExchangeApp`: auth and exchange, embedded or distributed roles),
 * its API role serving gitbitex-web: the REST API at `/api`, the WebSocket at `/ws`, the page
 * (GITBITEX_WEB_DIR) at every other path, and with COINBASE_API_PATH the exchange app's
 * Coinbase-style API and WebSocket beside them under that path.
 */
export async function createGitbitexContainer(config: GitbitexConfig, options: ExchangeContainerOptions = {}): Promise<Container> {
  const { container, http } = await startExchangeApp(config, { ...options, name: 'exchange-gitbitex' });
  if (!config.roles.has('api')) {
    container.load(operationsHttpModule(http));
    return container;
  }
  const metrics = container.get(Metrics);
  container.onActivation<WebSocketServer>(GitbitexWebSocket, (_context, wss) => countWebSocketClients(wss, metrics));
  container.load(
    gitbitexHttpModule({
      ...http,
      tradingRateLimit: config.tradingRateLimit,
      faucet: config.faucet,
      admins: config.admins,
      webDir: config.webDir,
      coinbaseApiPath: config.coinbaseApiPath,
    }),
  );
  await container.getAsync(GitbitexPushServer);
  return container;
}
