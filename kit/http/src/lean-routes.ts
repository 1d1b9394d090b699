import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery, type ParsedUrlQuery } from 'node:querystring';
import { DomainError } from '@sd/domain/errors';

/** A request as a lean route sees it: the JSON body already read and parsed. */
export interface LeanRequest {
  method: string;
  /** Path and query exactly as received (what API-key signatures cover). */
  url: string;
  params: Record<string, string>;
  /** Repeated keys give arrays, as express's simple query parser does. */
  query: ParsedUrlQuery;
  headers: IncomingHttpHeaders;
  /** The bytes received, for signatures. */
  rawBody: Buffer;
  /** The parsed JSON body; undefined when none was sent or it was not JSON. */
  body: unknown;
}

/** Headers a lean route adds to its answer (rate-limit headers, say). */
export type LeanHeaders = Record<string, string>;

/**
 * A hot route served without express's middleware chain. Its handler answers the JSON
 * body of a 200, or throws; errors go through the same `errorToHttp` table as express routes.
 */
export interface LeanRoute {
  method: 'GET' | 'POST' | 'DELETE';
  /** Full path template with `:name` segments, e.g. `/api/orders/:orderId`. */
  path: string;
  handle(request: LeanRequest, headers: LeanHeaders): Promise<unknown>;
}

export interface MatchedRoute {
  route: LeanRoute;
  /** Still percent-encoded: `decodeParams` refuses a malformed one with a 400. */
  params: Record<string, string>;
}

/** Matches method and path against the routes (a trailing slash is tolerated, as express does). */
export function leanRouteMatcher(routes: readonly LeanRoute[]): (method: string, url: string) => MatchedRoute | null {
  const compiled = routes.map((route) => ({ route, segments: route.path.split('/').slice(1) }));
  return (method, url) => {
    const queryAt = url.indexOf('?');
    const path = queryAt < 0 ? url : url.slice(0, queryAt);
    const segments = path.split('/').slice(1);
    if (segments.length > 1 && segments[segments.length - 1] === '') segments.pop();
    for (const { route, segments: template } of compiled) {
      if (route.method !== method || template.length !== segments.length) continue;
      const params: Record<string, string> = {};
      let matched = true;
      for (let i = 0; i < template.length && matched; i++) {
        const expected = template[i]!;
        const actual = segments[i]!;
        if (expected.startsWith(':')) {
          if (actual === '') matched = false;
          else params[expected.slice(1)] = actual;
        } else matched = expected === actual;
      }
      if (matched) return { route, params };
    }
    return null;
  };
}

export function decodeParams(params: Record<string, string>): Record<string, string> {
  const decoded: Record<string, string> = {};
  for (const name in params) {
    try {
      decoded[name] = decodeURIComponent(params[name]!);
    } catch {
      throw malformed('the request path is not valid percent-encoding');
    }
  }
  return decoded;
}

const malformed = (message: string): DomainError => new DomainError('HTTP.BAD_REQUEST', 'invalid', message);

/** Thrown for a body over the limit; `errorToHttp` answers 413. */
export class BodyTooLargeError extends Error {
  readonly type = 'entity.too.large';
  constructor(readonly limit: number) {
    super(`request body exceeds ${limit} bytes`);
  }
}

/**
 * Reads the body up to `limit` bytes and parses it as express.json (strict) would: JSON only
 * for a JSON content type, an object or array at the top, UTF-8 only, no content coding.
 */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<{ rawBody: Buffer; body: unknown }> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) throw new BodyTooLargeError(limit);
  const rawBody = await readAll(req, limit);
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') throw unsupported('unsupported request encoding');
  if (!isJson(req.headers['content-type'])) return { rawBody, body: undefined };
  if (rawBody.length === 0) return { rawBody, body: {} };
  const text = rawBody.toString('utf8');
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[') throw malformedJson();
  try {
    return { rawBody, body: JSON.parse(text) as unknown };
  } catch {
    throw malformedJson();
  }
}

// Flagged as body-parser flags them, so `errorToHttp` answers both lanes from the same branch.
const malformedJson = (): Error => Object.assign(new Error('request body is not valid JSON'), { type: 'entity.parse.failed' });
const unsupported = (message: string): Error => Object.assign(new Error(message), { type: 'encoding.unsupported' });

function isJson(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const [type = '', ...parameters] = contentType.toLowerCase().split(';');
  const mediaType = type.trim();
  if (mediaType !== 'application/json' && !mediaType.endsWith('+json')) return false;
  for (const parameter of parameters) {
    const [name, value] = parameter.split('=').map((part) => part.trim());
    if (name === 'charset' && value !== 'utf-8' && value !== 'utf8' && value !== '"utf-8"') throw unsupported('unsupported charset');
  }
  return true;
}

function readAll(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const onData = (chunk: Buffer): void => {
      length += chunk.length;
      if (length > limit) {
        req.off('data', onData);
        // Keep draining so the answer can be written; the connection closes after it.
        req.resume();
        reject(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length)));
    req.once('error', reject);
  });
}

export function parseUrlQuery(url: string): ParsedUrlQuery {
  const queryAt = url.indexOf('?');
  return queryAt < 0 ? {} : parseQuery(url.slice(queryAt + 1));
}

/** Writes a JSON answer with node's own API (no express response helpers on the hot path). */
export function writeJson(res: ServerResponse, status: number, body: unknown, headers: LeanHeaders): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  for (const name in headers) res.setHeader(name, headers[name]!);
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(text);
}
