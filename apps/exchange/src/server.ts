import type { Application } from 'express';
import type { Container } from 'inversify';
import { closeAppContainer } from '@sd/app/app-container';
import { listenMetrics } from '@sd/http/metrics-server';
import { listen, type RunningServer } from '@sd/http/server';
import { Metrics } from '@sd/metrics/metrics';
import type { ExchangeConfig } from './config';
import type { WebSocketServer } from 'ws';
import { createExchangeContainer, HttpApp, WebSockets, type ExchangeContainerOptions } from './container';

export interface RunningExchange {
  container: Container;
  server: RunningServer;
  /** `http://host:port`, for REST; the WebSocket is at `${url.replace('http', 'ws')}/ws`. */
  url: string;
  /** `http://host:port` of `/metrics`, off the API port. */
  metricsUrl: string;
  /** Stops accepting requests, then releases the engine, journal, stores and queues. */
  close(): Promise<void>;
}

/** Builds the container from config and serves it: what `main` runs, and what end-to-end tests start. */
export async function startExchange(config: ExchangeConfig, options: ExchangeContainerOptions = {}): Promise<RunningExchange> {
  const container = await createExchangeContainer(config, options);
  const webSockets = container.get<Record<string, WebSocketServer>>(WebSockets);
  const server = await listen(container.get<Application>(HttpApp), { ...config.http, webSockets });
  const metrics = await listenMetrics(container.get(Metrics), config.metrics);
  return {
    container,
    server,
    url: server.url,
    metricsUrl: metrics.url,
    close: async () => {
      await Promise.all([server.close(), metrics.close()]);
      await closeAppContainer(container);
    },
  };
}
