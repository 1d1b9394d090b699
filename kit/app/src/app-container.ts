import { Container } from 'inversify';
import type { Application } from 'express';
import type { WebSocketServer } from 'ws';
import { Logger } from '@sd/domain/logger';
import { HttpApp, WebSockets } from '@sd/http/http-app.module';
import { listenMetrics } from '@sd/http/metrics-server';
import { listen, type RunningServer } from '@sd/http/server';
import { createLogger } from '@sd/logging/logger';
import { Metrics } from '@sd/metrics/metrics';
import type { LogLevel } from './env';

/** What an app runs at shutdown before the container releases what its modules opened. */
export interface Lifecycle {
  /** `stop` runs at shutdown, newest first, while the queues and databases are still open. */
  onStop(stop: () => Promise<void>): void;
}

export const Lifecycle = Symbol.for('sd.app.Lifecycle');

export interface AppContainerOptions {
  /** Names the logger. */
  name: string;
  logLevel: LogLevel;
  /** Replaces the pino logger built from `logLevel` (tests read what was logged). */
  logger?: Logger;
}

/** What tests may replace when they build an app's container as `main` does. */
export interface AppOptions {
  /** Epoch-ms clock of the app's use cases; tests move it to expire tokens and links. */
  clock?: () => number;
  /** Replaces the pino logger built from the config's log level. */
  logger?: Logger;
}

/** The start of every app's container: `Logger`, `Metrics` (with the process's default metrics) and `Lifecycle`. */
export function createAppContainer(options: AppContainerOptions): Container {
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind(Logger).toConstantValue(options.logger ?? createLogger({ name: options.name, level: options.logLevel }));
  container.bind(Metrics).toConstantValue(new Metrics({ defaultMetrics: true }));
  container.bind<Lifecycle & { stopAll(): Promise<void> }>(Lifecycle).toConstantValue(new StopList());
  return container;
}

/**
 * Stops an app built by `createAppContainer`: its `onStop` hooks one after the other, newest
 * first (a hub says goodbye on the queue, a counter flushes to the database), then the
 * container's deactivations close the queues, caches and databases.
 */
export async function closeAppContainer(container: Container): Promise<void> {
  await container.get<StopList>(Lifecycle).stopAll();
  await container.unbindAllAsync();
}

class StopList implements Lifecycle {
  private readonly stops: Array<() => Promise<void>> = [];

  onStop(stop: () => Promise<void>): void {
    this.stops.push(stop);
  }

  async stopAll(): Promise<void> {
    for (const stop of this.stops.splice(0).reverse()) await stop();
  }
}

export interface RunningApp {
  container: Container;
  server: RunningServer;
  /** `http://host:port`. */
  url: string;
  /** `http://host:port` of `/metrics`, off the API port. */
  metricsUrl: string;
  logger: Logger;
  /** Stops accepting requests, then `closeAppContainer`. */
  close(): Promise<void>;
}

/**
 * Serves the container's `HttpApp` (and its `WebSockets`, when bound) on `http`, and its
 * `Metrics` on `metrics` (`METRICS_PORT`; tests may leave it to any free port): what `main`
 * runs, and what end-to-end tests start.
 */
export async function serveApp(
  container: Container,
  http: { host?: string; port: number },
  metrics: { host: string; port: number } = { host: http.host ?? '127.0.0.1', port: 0 },
): Promise<RunningApp> {
  const webSockets = container.isBound(WebSockets) ? container.get<Record<string, WebSocketServer>>(WebSockets) : undefined;
  const server = await listen(await container.getAsync<Application>(HttpApp), { ...http, webSockets });
  const metricsServer = await listenMetrics(container.get(Metrics), metrics);
  return {
    container,
    server,
    url: server.url,
    metricsUrl: metricsServer.url,
    logger: container.get<Logger>(Logger),
    close: async () => {
      await Promise.all([server.close(), metricsServer.close()]);
      await closeAppContainer(container);
    },
  };
}
