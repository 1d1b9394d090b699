import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Application, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from '@sd/domain/logger';
import type { Metrics } from '@sd/metrics/metrics';
import { errorToHttp } from './errors';
import { decodeParams, leanRouteMatcher, parseUrlQuery, readJsonBody, writeJson, type LeanHeaders, type LeanRoute } from './lean-routes';

export interface HttpAppOptions {
  logger: Logger;
  metrics?: Metrics;
  /** Largest accepted JSON body. Default 64 KiB. */
  bodyLimit?: string;
  /** Mounts the app's routers between the common middleware and the error handling. */
  routes: (app: Application) => void;
  /**
   * Hot routes served ahead of the middleware chain (same request ids, body limit, metrics
   * and error table, none of the per-request express work); no express route may share them.
   */
  leanRoutes?: readonly LeanRoute[];
  /** Middleware that must see every request, lean ones included (request tracing). */
  before?: readonly RequestHandler[];
  /**
   * Whose X-Forwarded-For sets `req.ip` (the key of per-client rate limits): express's
   * trust-proxy value (`TRUST_PROXY`, read by kit/app's `trustProxy`). Default `loopback`.
   */
  trustProxy?: boolean | number | readonly string[];
}

/** What the common middleware leaves on `res.locals` for handlers. */
export interface RequestContext {
  requestId: string;
  logger: Logger;
}

export const requestContext = (res: Response): RequestContext => res.locals as RequestContext;

/** Where the lean lane marks the route template it served (express's `res.locals` may not exist yet). */
const LEAN_ROUTE = Symbol('leanRoute');
type LeanResponse = ServerResponse & { [LEAN_ROUTE]?: string };
type NodeHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/** The route template a request matched (`/api/orders/:orderId`), lean or express; else `unmatched`. */
export function routeTemplate(req: Request, res: Response): string {
  if (req.route) return `${req.baseUrl}${String(req.route.path)}`;
  return (res as LeanResponse)[LEAN_ROUTE] ?? 'unmatched';
}

const requestIdPattern = /^[\w.-]{1,64}$/;

/**
 * An express app with what every app needs: request ids, a bounded JSON parser, per-route
 * metrics, JSON 404s, and errors mapped once through `errorToHttp`.
 */
export function createHttpApp(options: HttpAppOptions): Application {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const trusted = options.trustProxy ?? ['loopback'];
  app.set('trust proxy', typeof trusted === 'object' ? [...trusted] : trusted);

  const requests = options.metrics?.counter('http_requests_total', 'HTTP requests by route and status', ['method', 'route', 'status']);
  const latency = options.metrics?.histogram('http_request_duration_seconds', 'HTTP request latency by route', ['method', 'route']);

  const record = (method: string, route: string, status: number, started: bigint): void => {
    requests?.inc({ method, route, status: String(status) });
    latency?.observe({ method, route }, Number(process.hrtime.bigint() - started) / 1e9);
  };

  for (const handler of options.before ?? []) app.use(handler);
  if (options.leanRoutes?.length) {
    const lane = leanLane(options.leanRoutes, bodyLimitBytes(options.bodyLimit), options.logger, record);
    if (options.before?.length) app.use(lane);
    else {
      // Nothing must see lean requests first, so they are answered before express even sets
      // up its request and response objects (a tenth of the request thread under load).
      // `app(req, res)` calls `app.handle`, in express 4 and 5 alike.
      const expressHandle = (app as unknown as { handle: NodeHandler }).handle.bind(app);
      (app as unknown as { handle: NodeHandler }).handle = (req, res, next) => lane(req, res, () => expressHandle(req, res, next));
    }
  }
  app.use((req: Request, res: Response, next: NextFunction) => {
    const requestId = requestIdOf(req.headers['x-request-id']);
    Object.assign(res.locals, { requestId, logger: options.logger.child({ requestId }) } satisfies RequestContext);
    res.setHeader('x-request-id', requestId);
    if (requests) {
      const started = process.hrtime.bigint();
      res.on('finish', () => record(req.method, routeTemplate(req, res), res.statusCode, started));
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

function requestIdOf(offered: string | string[] | undefined): string {
  return typeof offered === 'string' && requestIdPattern.test(offered) ? offered : randomUUID();
}

const DEFAULT_BODY_LIMIT = 64 * 1024;

/** `16kb`, `1mb` or bytes, as express.json's `limit` takes it. */
function bodyLimitBytes(limit: string | undefined): number {
  if (limit === undefined) return DEFAULT_BODY_LIMIT;
  const match = /^(\d+)\s*(b|kb|mb)?$/i.exec(limit.trim());
  if (!match) throw new Error(`unsupported body limit ${limit}`);
  const unit = { b: 1, kb: 1024, mb: 1024 * 1024 }[(match[2] ?? 'b').toLowerCase() as 'b' | 'kb' | 'mb'];
  return Number(match[1]) * unit;
}

/** Serves the lean routes: read the body, run the handler, answer JSON; anything else goes on to express. */
function leanLane(
  routes: readonly LeanRoute[],
  bodyLimit: number,
  logger: Logger,
  record: (method: string, route: string, status: number, started: bigint) => void,
): NodeHandler {
  const match = leanRouteMatcher(routes);
  return (req: IncomingMessage, res: LeanResponse, next: () => void) => {
    const url = req.url ?? '/';
    const method = req.method ?? 'GET';
    const matched = match(method, url);
    if (matched === null) return next();
    const { route, params } = matched;
    const started = process.hrtime.bigint();
    const requestId = requestIdOf(req.headers['x-request-id']);
    res[LEAN_ROUTE] = route.path;
    const headers: LeanHeaders = { 'x-request-id': requestId };
    const answer = async (): Promise<void> => {
      const { rawBody, body } = await readJsonBody(req, bodyLimit);
      const result = await route.handle({ method, url, params: decodeParams(params), query: parseUrlQuery(url), headers: req.headers, rawBody, body }, headers);
      writeJson(res, 200, result, headers);
    };
    answer()
      .catch((error: unknown) => {
        const mapped = errorToHttp(error);
        if (mapped.status >= 500) logger.error({ err: error, requestId, method, path: url }, 'request failed');
        if (res.headersSent) return void res.destroy();
        // A body over the limit was not read to its end: close rather than reuse the connection.
        if (mapped.status === 413) res.shouldKeepAlive = false;
        writeJson(res, mapped.status, mapped.body, { ...headers, ...mapped.headers });
      })
      .finally(() => record(method, route.path, res.statusCode, started));
  };
}
