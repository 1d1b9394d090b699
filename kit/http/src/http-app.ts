import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Application, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from '@sd/domain/logger';
import type { Metrics } from '@sd/metrics/metrics';
import { routeKey, type ApiRoute, type RouteLanes } from './api-route';
import { serveApiDocs } from './api-docs';
import { CompiledRoute, trustFunction, type RecordRequest, type TrustProxy } from './compiled-route';
import { errorToHttp } from './errors';
import { expressLane } from './express-lane';
import { fastLane, requestIdOf, SERVED_ROUTE, type MarkedResponse, type NodeHandler } from './fast-lane';
import { openApiDocument, type OpenApiOptions } from './openapi';
import { bodyLimitBytes } from './request-body';

export type { NodeHandler } from './fast-lane';

export interface HttpAppOptions {
  logger: Logger;
  metrics?: Metrics;
  /** Largest accepted JSON body. Default 64 KiB. */
  bodyLimit?: string;
  /** Mounts the app's express routers between the common middleware and the error handling. */
  routes: (app: Application) => void;
  /** An API described by schemas, each route served by the lane the table gives it. */
  api?: ApiOptions;
  /** Node middleware that must see every request, on both lanes (request tracing). */
  before?: readonly NodeHandler[];
  /**
   * Whose X-Forwarded-For sets the client address (the key of per-client rate limits), on both
   * lanes: express's trust-proxy value (`TRUST_PROXY`, read by kit/app's `trustProxy`). Default `loopback`.
   */
  trustProxy?: TrustProxy;
}

export interface ApiOptions {
  /** Where the API is mounted: `/api`. */
  mountPath: string;
  routes: readonly ApiRoute[];
  /** The one place that says which lane serves each route, by `METHOD /path`. */
  lanes: RouteLanes;
  /** Serves the generated OpenAPI 3.1 document at `<mountPath>/openapi.json` and a page to browse it at `<mountPath>/docs`. */
  document?: Omit<OpenApiOptions, 'mountPath' | 'routes'>;
}

/** What the common middleware leaves on `res.locals` for handlers. */
export interface RequestContext {
  requestId: string;
  logger: Logger;
}

export const requestContext = (res: Response): RequestContext => res.locals as RequestContext;

/** The route template a request matched (`/api/orders/:orderId`), on either lane; else `unmatched`. */
export function routeTemplate(req: IncomingMessage, res: ServerResponse): string {
  const { route, baseUrl } = req as Partial<Request>;
  if (route) return `${baseUrl ?? ''}${String(route.path)}`;
  return (res as MarkedResponse)[SERVED_ROUTE] ?? 'unmatched';
}

/**
 * The app's HTTP handler: request ids, a bounded JSON parser, per-route metrics, JSON 404s
 * and errors mapped once through `errorToHttp`. API routes on the fast lane are answered
 * before express sets up its request and response; the rest go through express.
 */
export function createHttpApp(options: HttpAppOptions): Application {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const trusted = options.trustProxy ?? ['loopback'];
  app.set('trust proxy', typeof trusted === 'object' ? [...trusted] : trusted);
  const bodyLimit = bodyLimitBytes(options.bodyLimit);

  const record = options.metrics ? requestRecorder(options.metrics) : undefined;

  const lanes = options.api ? compileApi(options.api, trustFunction(trusted)) : { fast: [], express: [] };
  const fast = lanes.fast.length > 0 ? fastLane(lanes.fast, { bodyLimit, logger: options.logger, record }) : null;
  const before = options.before ?? [];
  if (fast !== null || before.length > 0) {
    // `app(req, res)` calls `app.handle`, in express 4 and 5 alike: what runs first goes in front of it.
    const expressHandle = (app as unknown as { handle: NodeHandler }).handle.bind(app);
    const lanesHandle: NodeHandler = fast === null ? expressHandle : (req, res, next) => fast(req, res, () => expressHandle(req, res, next));
    (app as unknown as { handle: NodeHandler }).handle = before.reduceRight<NodeHandler>(
      (inner, middleware) => (req, res, next) => middleware(req, res, () => inner(req, res, next)),
      lanesHandle,
    );
  }

  app.use((req: Request, res: Response, next: NextFunction) => {
    const requestId = requestIdOf(req.headers['x-request-id']);
    Object.assign(res.locals, { requestId, logger: options.logger.child({ requestId }) } satisfies RequestContext);
    res.setHeader('x-request-id', requestId);
    if (record) {
      const started = process.hrtime.bigint();
      res.on('finish', () => record(req.method, routeTemplate(req, res), res.statusCode, started));
    }
    next();
  });
  if (options.api) {
    // Ahead of the JSON parser: API routes read their bodies as the fast lane does.
    if (lanes.express.length > 0) app.use(options.api.mountPath, expressLane(lanes.express, { bodyLimit, logger: options.logger }));
    if (options.api.document) serveDocument(app, options.api);
  }
  // The raw body is kept for API-key signatures over it.
  app.use(express.json({ limit: bodyLimit, strict: true, verify: (req, _res, raw) => void ((req as IncomingMessage & { rawBody?: Buffer }).rawBody = raw) }));

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

/**
 * Counts each answer and observes its latency, by method, route template and status, through
 * series bound once per label set: prom-client's own `inc` and `observe` took 2.3 us per
 * request of the fast lane's 25-30 (perf, wrk, Node 24), this a map lookup.
 */
function requestRecorder(metrics: Metrics): RecordRequest {
  const requests = metrics.boundCounter('http_requests_total', 'HTTP requests by route and status', ['method', 'route', 'status']);
  const latency = metrics.boundHistogram('http_request_duration_seconds', 'HTTP request latency by route', ['method', 'route']);
  const bound = new Map<string, { count: { inc(): void }; latency: { observe(seconds: number): void } }>();
  return (method, route, status, started) => {
    const key = `${method} ${status} ${route}`;
    let series = bound.get(key);
    if (series === undefined) bound.set(key, (series = { count: requests.bind({ method, route, status: String(status) }), latency: latency.bind({ method, route }) }));
    series.count.inc();
    series.latency.observe(Number(process.hrtime.bigint() - started) / 1e9);
  };
}

/** Compiles every API route and splits them by the lane table, refusing a route the table does not name. */
function compileApi(api: ApiOptions, trust: ReturnType<typeof trustFunction>): { fast: CompiledRoute[]; express: CompiledRoute[] } {
  const keys = api.routes.map(routeKey);
  const duplicate = keys.find((key, i) => keys.indexOf(key) !== i);
  if (duplicate !== undefined) throw new Error(`the API declares ${duplicate} twice`);
  // The table may name a route the config leaves out (the faucet, where there is none); a
  // misspelt entry leaves its route without a lane, which is refused.
  const unrouted = keys.filter((key) => api.lanes[key] === undefined);
  if (unrouted.length > 0) throw new Error(`the lane table must name every API route: no lane for [${unrouted.join(', ')}]`);
  const compiled = api.routes.map((route) => new CompiledRoute(route, api.mountPath, trust));
  return { fast: compiled.filter((route) => api.lanes[route.key] === 'fast'), express: compiled.filter((route) => api.lanes[route.key] === 'express') };
}

function serveDocument(app: Application, api: ApiOptions): void {
  const document = Buffer.from(JSON.stringify(openApiDocument({ ...api.document!, mountPath: api.mountPath, routes: api.routes })));
  const documentUrl = `${api.mountPath}/openapi.json`;
  app.get(documentUrl, (_req, res) => void res.type('application/json').send(document));
  serveApiDocs(app, { path: `${api.mountPath}/docs`, documentUrl });
}
