import type { IncomingMessage } from 'node:http';
import { Router, type Request, type Response } from 'express';
import type { Logger } from '@sd/domain/logger';
import type { ApiRoute } from './api-route';
import { CompiledRoute, type LaneContext } from './compiled-route';
import { bodyLimitBytes, readJsonBody } from './request-body';

/** What express's JSON parser leaves on a request it read (see `createHttpApp`). */
type ParsedRequest = IncomingMessage & { body?: unknown; rawBody?: Buffer };

const EMPTY = Buffer.alloc(0);

/**
 * The express lane: API routes on an express router, answered by the same compiled route as
 * the fast lane. A body express's JSON parser already read (a router mounted after it) is
 * taken from it; otherwise it is read here, with the same limits and errors.
 */
export function expressLane(routes: readonly CompiledRoute[], context: LaneContext): Router {
  const router = Router();
  for (const route of routes) {
    const { method, path } = route.route;
    const handler = (req: Request, res: Response): void =>
      void route.serve(req, res, { url: req.originalUrl, params: req.params as Record<string, string>, readBody: () => bodyOf(req, context.bodyLimit), ip: () => req.ip ?? '' }, loggerOf(res) ?? context.logger);
    if (method === 'GET') router.get(path, handler);
    else if (method === 'POST') router.post(path, handler);
    else if (method === 'PUT') router.put(path, handler);
    else router.delete(path, handler);
  }
  return router;
}

/** API routes as an express router, for an app that serves them all through express (mount it where the routes' paths start). */
export function apiRouter(routes: readonly ApiRoute[], options: { logger: Logger; bodyLimit?: string }): Router {
  return expressLane(
    routes.map((route) => new CompiledRoute(route, '')),
    { logger: options.logger, bodyLimit: bodyLimitBytes(options.bodyLimit) },
  );
}

function bodyOf(req: ParsedRequest, limit: number): Promise<{ rawBody: Buffer; body: unknown }> {
  if (req.readableEnded) return Promise.resolve({ rawBody: req.rawBody ?? EMPTY, body: req.body });
  return readJsonBody(req, limit);
}

const loggerOf = (res: Response): Logger | undefined => (res.locals as { logger?: Logger }).logger;
