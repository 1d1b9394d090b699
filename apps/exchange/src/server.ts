import { serveApp, type RunningApp } from '@sd/app/app-container';
import type { ExchangeConfig } from './config';
import { createExchangeContainer, type ExchangeContainerOptions } from './container';

/** A running exchange: `url` serves REST under `/api` and the WebSocket at `/ws`; `metricsUrl` its `/metrics`. */
export type RunningExchange = RunningApp;

/** Builds the container from config and serves it: what `main` runs, and what end-to-end tests start. */
export async function startExchange(config: ExchangeConfig, options: ExchangeContainerOptions = {}): Promise<RunningExchange> {
  return serveApp(await createExchangeContainer(config, options), config.http, config.metrics);
}
