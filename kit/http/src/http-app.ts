import { randomUUID } from 'node:crypto';
import express, { type Application, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from '@sd/domain/logger';
import type { Metrics } from '@sd/metrics/metrics';
import { errorToHttp } from './errors';

export interface HttpAppOptions {
  logger: Logger;
  metrics?: Metrics;
  /** Largest accepted JSON body. Default 64 KiB. */
  bodyLimit?: string;
  /** Mounts the app's routers between the common middleware and the error handling. */
  routes: (app: Application) => void;
}

/** What the common middleware leaves on `res.locals` for handlers. */
export interface RequestContext {
  requestId: string;
  logger: Logger;
}

export const requestContext = (res: Response): RequestContext => res.locals as RequestContext;

const requestIdPattern = /^[\w.-]{1,64}$/;

/**
 * An express app with what every app needs: request ids, a bounded JSON parser, per-route
 * metrics, JSON 404s, and errors mapped once through `errorToHttp`.
 */
export function createHttpApp(options: HttpAppOptions): Application {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', 'loopback');

  const requests = options.metrics?.counter('http_requests_total', 'HTTP requests by route and status', ['method', 'route', 'status']);
  const latency = options.metrics?.histogram('http_request_duration_seconds', 'HTTP request latency by route', ['method', 'route']);

  app.use((req: Request, res: Response, next: NextFunction) => {
    const offered = req.get('x-request-id');
    const requestId = offered && requestIdPattern.test(offered) ? offered : randomUUID();
    Object.assign(res.locals, { requestId, logger: options.logger.child({ requestId }) } satisfies RequestContext);
    res.setHeader('x-request-id', requestId);
    if (requests && latency) {
      const started = process.hrtime.bigint();
      res.on('finish', () => {
        const route = req.route ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
        requests.inc({ method: req.method, route, status: String(res.statusCode) });
        latency.observe({ method: req.method, route }, Number(process.hrtime.bigint() - started) / 1e9);
      });
    }
    next();
  });
  app.use(express.json({ limit: options.bodyLimit ?? '64kb', strict: true }));

  options.routes(app);

  app.use((req: Request, res: Response) => {
    res.status(404).json({ message: `no route for ${req.method} ${req.path}`, code: 'HTTP.NOT_FOUND' });
  });
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const mapped = errorToHttp(error);
    const logger = requestContext(res).logger ?? options.logger;
    if (mapped.status >= 500) logger.error({ err: error, method: req.method, path: req.path }, 'request failed');
    else logger.debug({ code: mapped.body.code, method: req.method, path: req.path }, 'request refused');
    if (res.headersSent) return;
    res.status(mapped.status).set(mapped.headers).json(mapped.body);
  });
  return app;
}
