import type { Application } from 'express';
import { ContainerModule, type MapToResolvedValueInjectOptions, type ResolvedValueInjectOptions } from 'inversify';
import { HealthCheck } from '@sd/domain/health';
import { Logger } from '@sd/domain/logger';
import { Metrics } from '@sd/metrics/metrics';
import { healthRoutes } from './health';
import { createHttpApp, type HttpAppOptions } from './http-app';

/** The express app a process serves (see `listen`). */
export const HttpApp = Symbol.for('sd.http.HttpApp');
/** An app's WebSocket servers by upgrade path (`Record<string, WebSocketServer>`), for `listen`; optional. */
export const WebSockets = Symbol.for('sd.http.WebSockets');

export interface HttpAppModuleOptions<Deps extends unknown[]> {
  /** Largest accepted JSON body; default 16 KiB. */
  bodyLimit?: string;
  /** Whose X-Forwarded-For sets the client address (the app's `TRUST_PROXY`); default loopback. */
  trustProxy?: HttpAppOptions['trustProxy'];
  /** What `mount` is given, in its order, resolved from the container. */
  inject: NoInfer<{ [K in keyof Deps]: ResolvedValueInjectOptions<Deps[K]> }>;
  /** Mounts the app's routers, after the health routes. */
  mount: (app: Application, ...deps: Deps) => void;
}

/**
 * Binds `HttpApp`: kit/http's express app with the health routes (liveness, and readiness over
 * every `HealthCheck` the container holds when the app is first resolved), then the routers
 * `mount` puts on it. `/metrics` is not on it: `serveApp` serves it on its own port. Needs
 * `Logger` and `Metrics` bound.
 */
export function httpAppModule<Deps extends unknown[]>(options: HttpAppModuleOptions<Deps>): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<Application>(HttpApp)
      .toResolvedValue(
        (logger: Logger, metrics: Metrics, checks: HealthCheck[] | undefined, ...deps: Deps) =>
          createHttpApp({
            logger,
            metrics,
            bodyLimit: options.bodyLimit ?? '16kb',
            trustProxy: options.trustProxy,
            routes: (app) => {
              app.use(healthRoutes({ checks: checks ?? [] }));
              options.mount(app, ...deps);
            },
          }),
        [Logger, Metrics, { serviceIdentifier: HealthCheck, isMultiple: true, optional: true }, ...options.inject] as unknown as MapToResolvedValueInjectOptions<
          [Logger, Metrics, HealthCheck[] | undefined, ...Deps]
        >,
      )
      .inSingletonScope();
  });
}
