import type { IncomingHttpHeaders } from 'node:http';
import type { Static, TObject, TSchema } from '@sinclair/typebox';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** What a route accepts and answers, once: validation, serialization and the OpenAPI document all come from it. */
export interface RouteSchema {
  /** Path parameters (`:name` segments), decoded. */
  params?: TObject;
  /** Query parameters; an integer-typed one is read from its canonical decimal form only. */
  query?: TObject;
  /** The JSON body. */
  body?: TSchema;
  /** The answer of a success; absent for a 204. */
  response?: TSchema;
}

type StaticOr<T, Fallback> = T extends TSchema ? Static<T> : Fallback;

/** A request as a route sees it, whichever lane serves it: params, query and body already validated. */
export interface ApiRequest<S extends RouteSchema = RouteSchema> {
  method: string;
  /** Path and query exactly as received, mount path included (what API-key signatures cover). */
  url: string;
  params: StaticOr<S['params'], Record<string, never>>;
  query: StaticOr<S['query'], Record<string, never>>;
  body: StaticOr<S['body'], undefined>;
  headers: IncomingHttpHeaders;
  /** The body's bytes as received ('' for none), for signatures. */
  rawBody: Buffer;
  /** The client's address; behind a loopback proxy, the one it forwarded. */
  readonly ip: string;
}

/**
 * An answer serialized once for a version of what it shows, with its length in bytes and its
 * ETag. Kept as text: Node writes a text body with its head in one piece, where a Buffer body
 * goes out as a second chunk through writev (1.5 us more CPU per cached book answer, wrk, Node 24).
 */
export class PreparedAnswer {
  readonly byteLength: number;

  constructor(
    readonly body: string,
    readonly etag: string,
  ) {
    this.byteLength = Buffer.byteLength(body);
  }
}

export interface ApiReply {
  /** Headers added to the answer, errors included (rate-limit headers, cookies). */
  readonly headers: Record<string, string>;
  /**
   * The answer for `key` at `version`, serialized by the route's response schema once per
   * version however many requests ask; a poller that sends the ETag back gets a 304.
   */
  cached(key: string, version: string | number, produce: () => unknown): PreparedAnswer | Promise<PreparedAnswer>;
}

export type RouteAnswer<S extends RouteSchema> = StaticOr<S['response'], void> | PreparedAnswer;

/** Who may call a route, for the OpenAPI document (the handler enforces it). */
export type RouteSecurity = 'public' | 'signed-in';

/** One route of an API: served by either lane (see `RouteLanes`), documented in the OpenAPI document. */
export interface ApiRoute<S extends RouteSchema = RouteSchema> {
  method: HttpMethod;
  /** Under the API's mount path, with `:name` parameters: `/products/:productId/book`. */
  path: string;
  summary: string;
  tags: readonly string[];
  security: RouteSecurity;
  /** Success status; default 200 (204 when there is no response schema). */
  status?: 200 | 201 | 204;
  schema: S;
  handle(request: ApiRequest<S>, reply: ApiReply): Promise<RouteAnswer<S>> | RouteAnswer<S>;
}

/** A route, its handler typed by its schema; stored beside other routes as a plain `ApiRoute`. */
export function defineRoute<S extends RouteSchema>(route: ApiRoute<S>): ApiRoute {
  return route as unknown as ApiRoute;
}

/** `GET /products/:productId/book`: how the lane table and the metrics name a route. */
export const routeKey = (route: Pick<ApiRoute, 'method' | 'path'>): string => `${route.method} ${route.path}`;

/**
 * Which lane serves each route: `fast` is node:http with a radix router and compiled
 * validation and serialization; `express` is the express app of the long tail. Both
 * validate and answer from the same schemas, so the contract is the same either way.
 */
export type Lane = 'fast' | 'express';
export type RouteLanes = Readonly<Record<string, Lane>>;
