import type { Application } from 'express';
import { ContainerModule, type MapToResolvedValueInjectOptions, type ResolvedValueInjectOptions } from 'inversify';
import { Logger } from '@sd/domain/logger';
import { Metrics } from '@sd/metrics/metrics';
import { createHttpApp } from './http-app';

/** The express app a process serves (see `listen`). */
export const HttpApp = Symbol.for('sd.http.HttpApp');
/** An app's WebSocket servers by upgrade path (`Record<string, WebSocketServer>`), for `listen`; optional. */
export const WebSockets = Symbol.for('sd.http.WebSockets');

export interface HttpAppModuleOptions<Deps extends unknown[]> {
  /** Largest accepted JSON body; default 16 KiB. */
  bodyLimit?: string;
  /** What `mount` is given, in its order, resolved from the container. */
  inject: NoInfer<{ [K in keyof Deps]: ResolvedValueInjectOptions<Deps[K]> }>;
  /** Mounts the app's routers, after `/api/health` and `/metrics`. */
  mount: (app: Application, ...deps: Deps) => void;
}

/**
 * Binds `HttpApp`: kit/http's express app with `GET /api/health` and `GET /metrics`, then the
 * routers `mount` puts on it. Needs `Logger` and `Metrics` bound.
 */
export function httpAppModule<Deps extends unknown[]>(options: HttpAppModuleOptions<Deps>): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<Application>(HttpApp)
      .toResolvedValue(
        (logger: Logger, metrics: Metrics, ...deps: Deps) =>
          createHttpApp({
            logger,
            metrics,
            bodyLimit: options.bodyLimit ?? '16kb',
            routes: (app) => {
              app.get('/api/health', (_req, res) => void res.json({ status: 'ok' }));
              app.get('/metrics', async (_req, res) => {
                const { contentType, body } = await metrics.expose();
                res.type(contentType).send(body);
              });
              options.mount(app, ...deps);
            },
          }),
        [Logger, Metrics, ...options.inject] as unknown as MapToResolvedValueInjectOptions<[Logger, Metrics, ...Deps]>,
      )
      .inSingletonScope();
  });
}
