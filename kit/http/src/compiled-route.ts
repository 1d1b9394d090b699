import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TObject, TSchema } from '@sinclair/typebox';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import fastJson from 'fast-json-stringify';
import proxyAddr from 'proxy-addr';
import { invalidInput } from '@sd/domain/errors';
import type { Logger } from '@sd/domain/logger';
import { PreparedAnswer, routeKey, type ApiReply, type ApiRequest, type ApiRoute } from './api-route';
import { errorToHttp } from './errors';
import { emptyBody, parseUrlQuery } from './request-body';

/**
 * One validator instance for every route: defaults filled in (`type: limit`), the first error
 * reported, and `errorMessage` on a schema as the message when its value is refused.
 */
const ajv = new Ajv({ useDefaults: true, verbose: true, allErrors: false, strict: true });
ajv.addKeyword({ keyword: 'errorMessage', schemaType: 'string' });

/** Whose X-Forwarded-For names the client, as express's `trust proxy` takes it; default loopback. */
export type TrustProxy = boolean | number | readonly string[];

/** express's trust function for a `trust proxy` value (see express's `compileTrust`). */
export function trustFunction(trust: TrustProxy = ['loopback']): (address: string, hop: number) => boolean {
  if (trust === true) return () => true;
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  if (trust === false) return proxyAddr.compile([]);
  return proxyAddr.compile([...trust]);
}

/** Called when an answer has been written: method, route template, status, start time. */
export type RecordRequest = (method: string, route: string, status: number, started: bigint) => void;

/** What both lanes share for answering: body limit and logger. */
export interface LaneContext {
  bodyLimit: number;
  logger: Logger;
}

/** A request as a lane hands it to a route: the URL as received, decoded path parameters, and how to read the body. */
export interface LaneRequest {
  url: string;
  params: Record<string, string | undefined>;
  /** Null for a request that carries no body. */
  readBody: (() => Promise<{ rawBody: Buffer; body: unknown }>) | null;
  /** The client's address as the lane's framework sees it (express's `req.ip`); else by the route's trust. */
  ip?: () => string;
  /** Headers the lane gives every answer (its request id), written with the answer's own. */
  headers?: Record<string, string>;
}

/** A route with its validators, serializer and answer cache built once at start. */
export class CompiledRoute {
  /** Mount path and route path, `:name` parameters: what the lanes route and metrics count by. */
  readonly template: string;
  readonly status: number;
  private readonly params: Validator | null;
  private readonly query: Validator | null;
  private readonly body: Validator | null;
  private readonly serialize: (value: unknown) => string;
  private readonly answers = new AnswerCache();

  constructor(
    readonly route: ApiRoute,
    mountPath: string,
    private readonly trust = trustFunction(),
  ) {
    this.template = `${mountPath}${route.path}`;
    const { schema } = route;
    this.status = route.status ?? (schema.response === undefined ? 204 : 200);
    this.params = schema.params ? validator(schema.params, 'path') : null;
    this.query = schema.query ? validator(schema.query, 'query') : null;
    this.body = schema.body ? validator(schema.body, 'body') : null;
    this.serialize = schema.response ? serializer(schema.response) : () => '';
  }

  get key(): string {
    return routeKey(this.route);
  }

  /**
   * Reads and checks the request, runs the handler and writes the answer with node's own API
   * (express's response is a node response too); errors go through `errorToHttp`. Nothing
   * waits that need not: a request without a body whose handler answers at once (a cached
   * answer) is written before this returns, as a bare node:http handler would; otherwise the
   * promise settles once the answer is written.
   */
  serve(req: IncomingMessage, res: ServerResponse, lane: LaneRequest, logger: Logger): Promise<void> | undefined {
    const headers = lane.headers ?? {};
    const fail = (error: unknown): void => this.refuse(req, res, lane, headers, logger, error);
    try {
      if (lane.readBody === null) {
        const { rawBody, body } = emptyBody(req);
        return this.answer(req, res, lane, rawBody, body, headers)?.catch(fail);
      }
      return lane
        .readBody()
        .then(({ rawBody, body }) => this.answer(req, res, lane, rawBody, body, headers))
        .catch(fail);
    } catch (error) {
      fail(error);
      return undefined;
    }
  }

  private answer(req: IncomingMessage, res: ServerResponse, lane: LaneRequest, rawBody: Buffer, body: unknown, headers: Record<string, string>): Promise<void> | undefined {
    const { url } = lane;
    const request = new LaneApiRequest(
      req,
      lane.ip ?? (() => proxyAddr(req, this.trust)),
      url,
      (this.params ? this.params(lane.params) : {}) as ApiRequest['params'],
      (this.query ? this.query(parseUrlQuery(url)) : {}) as ApiRequest['query'],
      (this.body ? this.body(body) : undefined) as ApiRequest['body'],
      rawBody,
    );
    const reply = new LaneReply(headers, this);
    const answer = this.route.handle(request, reply);
    if (isPromise(answer)) return answer.then((settled) => this.write(req, res, settled, headers));
    this.write(req, res, answer, headers);
    return undefined;
  }

  /** See `ApiReply.cached`. */
  cachedAnswer(key: string, version: string | number, produce: () => unknown): PreparedAnswer | Promise<PreparedAnswer> {
    return this.answers.get(key, version, async () => this.serialize(await produce()));
  }

  private write(req: IncomingMessage, res: ServerResponse, answer: unknown, headers: Record<string, string>): void {
    if (answer instanceof PreparedAnswer) {
      headers.etag = answer.etag;
      headers['cache-control'] = 'no-cache';
      if (matchesEtag(req.headers['if-none-match'], answer.etag)) return writeAnswer(res, 304, headers, undefined);
      return writeAnswer(res, this.status, headers, answer.body, answer.byteLength);
    }
    writeAnswer(res, this.status, headers, this.status === 204 ? undefined : this.serialize(answer));
  }

  private refuse(req: IncomingMessage, res: ServerResponse, lane: LaneRequest, headers: Record<string, string>, logger: Logger, error: unknown): void {
    const mapped = errorToHttp(error);
    if (mapped.status >= 500) logger.error({ err: error, method: req.method, path: lane.url }, 'request failed');
    else logger.debug({ code: mapped.body.code, method: req.method, path: lane.url }, 'request refused');
    if (res.headersSent) return void res.destroy();
    // A body over the limit was not read to its end: close rather than reuse the connection.
    if (mapped.status === 413) res.shouldKeepAlive = false;
    writeAnswer(res, mapped.status, { ...headers, ...mapped.headers }, JSON.stringify(mapped.body));
  }
}

const isPromise = (value: unknown): value is Promise<unknown> => value instanceof Promise;

// Classes rather than object literals: no closures or accessors allocated per request (measured hot path).
class LaneApiRequest implements ApiRequest {
  readonly method: string;
  readonly headers: IncomingMessage['headers'];

  constructor(
    req: IncomingMessage,
    private readonly ipOf: () => string,
    readonly url: string,
    readonly params: ApiRequest['params'],
    readonly query: ApiRequest['query'],
    readonly body: ApiRequest['body'],
    readonly rawBody: Buffer,
  ) {
    this.method = req.method ?? 'GET';
    this.headers = req.headers;
  }

  get ip(): string {
    return this.ipOf();
  }
}

class LaneReply implements ApiReply {
  constructor(
    readonly headers: Record<string, string>,
    private readonly route: { cachedAnswer(key: string, version: string | number, produce: () => unknown): PreparedAnswer | Promise<PreparedAnswer> },
  ) {}

  cached(key: string, version: string | number, produce: () => unknown): PreparedAnswer | Promise<PreparedAnswer> {
    return this.route.cachedAnswer(key, version, produce);
  }
}

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * Writes a JSON answer (or none) with node's own API: every header in one `writeHead`, none
 * through `setHeader`, whose per-response header map (a dictionary object, each name validated
 * and lower-cased as it goes in, enumerated again to write) was 9 % of a cached book answer's
 * CPU profile with helmet's. Headers already set on the response stay unless named here.
 */
export function writeAnswer(res: ServerResponse, status: number, headers: Record<string, string>, body: string | undefined, byteLength?: number): void {
  const head: string[] = [];
  for (const name in headers) head.push(name, headers[name]!);
  if (body === undefined) {
    res.writeHead(status, head);
    return void res.end();
  }
  head.push('content-type', JSON_TYPE, 'content-length', String(byteLength ?? Buffer.byteLength(body)));
  res.writeHead(status, head);
  res.end(body);
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header === etag || header === '*' || header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/** The routes' compiled JSON serializer of a response schema, for other deliveries of the same answers. */
export function serializer(schema: TSchema): (value: unknown) => string {
  return fastJson(schema as object);
}

export type Validator = (value: unknown) => unknown;
type Where = 'path' | 'query' | 'body';

/** A compiled check that answers the value (defaults filled in) or throws a 400 naming the field; the routes' own, for other deliveries of their bodies. */
export function validator(schema: TSchema, where: Where): Validator {
  const validate: ValidateFunction = ajv.compile(schema);
  const integers = where === 'query' ? integerProperties(schema as TObject) : [];
  return (value) => {
    if (where === 'query' && integers.length > 0) value = withIntegers(value as Record<string, unknown>, integers);
    // An absent body is an empty object where the schema requires nothing of it.
    if (where === 'body' && value === undefined) {
      if (((schema as TObject).required ?? []).length > 0 || (schema as TObject).type !== 'object') throw invalidInput('the body must be a JSON object');
      value = {};
    }
    if (validate(value)) return value;
    throw invalidInput(describe(validate.errors![0]!, where));
  };
}

function integerProperties(schema: TObject): string[] {
  return Object.entries(schema.properties ?? {})
    .filter(([, property]) => (property as { type?: unknown }).type === 'integer')
    .map(([name]) => name);
}

const CANONICAL_INTEGER = /^-?(0|[1-9]\d{0,15})$/;

/**
 * Query strings carry text; an integer parameter is read from its canonical decimal form
 * only (`1e2`, ` 1`, `01` and `1.0` stay text and are refused), never by a lenient cast.
 */
function withIntegers(query: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  for (const name of names) {
    const text = query[name];
    if (typeof text === 'string' && CANONICAL_INTEGER.test(text) && Number.isSafeInteger(Number(text))) query[name] = Number(text);
  }
  return query;
}

/** `price must be a decimal string`, `level must be one of 1, 2, 3`, `product_id is required`. */
function describe(error: ErrorObject, where: Where): string {
  const path = error.instancePath.split('/').slice(1).join('.');
  const field = path === '' ? (where === 'body' ? 'the body' : `the ${where}`) : path;
  if (error.keyword === 'required') {
    const missing = (error.params as { missingProperty: string }).missingProperty;
    return `${path === '' ? missing : `${path}.${missing}`} is required`;
  }
  const custom = (error.parentSchema as { errorMessage?: string } | undefined)?.errorMessage;
  if (custom !== undefined) return `${field} ${custom}`;
  if (path === '' && where === 'body' && error.keyword === 'type') return 'the body must be a JSON object';
  if (error.keyword === 'enum') return `${field} must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
  return `${field} ${error.message ?? 'is invalid'}`;
}

/**
 * Serialized answers by key, each kept for one version of what it shows: a change of version
 * serializes once, however many requests ask meanwhile. Bounded: the oldest key goes first.
 */
interface CacheEntry {
  version: string | number;
  answer: Promise<PreparedAnswer>;
  /** The answer once serialized. */
  ready: PreparedAnswer | null;
}

class AnswerCache {
  private readonly entries = new Map<string, CacheEntry>();

  constructor(private readonly maxKeys = 256) {}

  /** The answer itself once serialized (no promise to wait on), else the promise of it. */
  get(key: string, version: string | number, serialize: () => Promise<string>): PreparedAnswer | Promise<PreparedAnswer> {
    const existing = this.entries.get(key);
    if (existing !== undefined && existing.version === version) return existing.ready ?? existing.answer;
    const entry: CacheEntry = { version, ready: null, answer: null! };
    entry.answer = serialize().then((body) => (entry.ready = new PreparedAnswer(body, `"${createHash('sha1').update(body).digest('base64url')}"`)));
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.maxKeys) this.entries.delete(this.entries.keys().next().value!);
    // A failed answer is not kept: the next request tries again.
    entry.answer.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return entry.answer;
  }
}
