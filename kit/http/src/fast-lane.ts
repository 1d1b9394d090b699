import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import FindMyWay, { type HTTPMethod } from 'find-my-way';
import { invalidInput } from '@sd/domain/errors';
import type { CompiledRoute, LaneContext, RecordRequest } from './compiled-route';
import { errorToHttp } from './errors';
import { writeAnswer } from './compiled-route';
import { hasBody, readJsonBody } from './request-body';
import { REQUEST_ID } from './server';

export type NodeHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/** Where a lane marks the route template it served (express's `req.route` is absent there). */
export const SERVED_ROUTE = Symbol('servedRoute');
export type MarkedResponse = ServerResponse & { [SERVED_ROUTE]?: string; [REQUEST_ID]?: string };

const requestIdPattern = /^[\w.-]{1,64}$/;
const BOOT = randomBytes(6).toString('hex');
let issued = 0;

/** A request id unique in this process, and with its random prefix across processes; cheaper than a UUID, and no secret. */
export const newRequestId = (): string => `${BOOT}-${(++issued).toString(36)}`;

/** The client's request id when it is sane, else a new one. */
export function requestIdOf(offered: string | string[] | undefined): string {
  return typeof offered === 'string' && requestIdPattern.test(offered) ? offered : newRequestId();
}

/**
 * The fast lane: its routes served on node:http through find-my-way (a radix router), with
 * the same request ids, body limit, error table and metrics as the express lane, none of
 * express's per-request set-up. Anything it does not route goes on to `next` (express).
 */
export function fastLane(routes: readonly CompiledRoute[], context: LaneContext & { record?: RecordRequest }): NodeHandler {
  const router = FindMyWay({ ignoreTrailingSlash: true, caseSensitive: true, maxParamLength: 1000 });
  const noop = (): void => undefined;
  for (const route of routes) {
    router.on(route.route.method as HTTPMethod, route.template, noop, route);
    // As express does: a HEAD is the GET without its body (node writes none for a HEAD).
    if (route.route.method === 'GET') router.on('HEAD', route.template, noop, route);
  }
  return (req, res: MarkedResponse, next) => {
    const url = req.url ?? '/';
    const method = req.method ?? 'GET';
    const queryAt = url.indexOf('?');
    const path = queryAt < 0 ? url : url.slice(0, queryAt);
    const found = router.find(method as HTTPMethod, path);
    if (found === null) {
      // find-my-way does not match a path whose parameter is not valid percent-encoding.
      if (path.includes('%') && !decodes(path)) return refuseMalformed(req, res);
      return next();
    }
    const route = found.store as CompiledRoute;
    const started = process.hrtime.bigint();
    res[SERVED_ROUTE] = route.template;
    // Written with the answer (see writeAnswer); an answer in the handler's place (server.ts) takes it from the response.
    const requestId = (res[REQUEST_ID] = requestIdOf(req.headers['x-request-id']));
    const lane = { url, params: found.params, readBody: hasBody(req) ? () => readJsonBody(req, context.bodyLimit) : null, headers: { 'x-request-id': requestId } };
    const written = route.serve(req, res, lane, context.logger);
    const record = context.record;
    if (record === undefined) return;
    if (written === undefined) record(method, route.template, res.statusCode, started);
    else void written.then(() => record(method, route.template, res.statusCode, started));
  };
}

function decodes(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

function refuseMalformed(req: IncomingMessage, res: ServerResponse): void {
  const { status, body } = errorToHttp(invalidInput('the request path is not valid percent-encoding'));
  writeAnswer(res, status, { 'x-request-id': requestIdOf(req.headers['x-request-id']) }, JSON.stringify(body));
}
