import { isDomainError, type ErrorKind } from '@sd/domain/errors';

/** The one table from a domain error kind to an HTTP status. */
export const statusOfKind: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  // Coinbase answers these 400: clients treat 409 as "exchange not available" and retry forever.
  refused: 400,
  gone: 410,
  rate_limited: 429,
  unavailable: 503,
};

export interface HttpError {
  status: number;
  /** Coinbase-Exchange error shape, plus a stable code. */
  body: { message: string; code: string };
  headers: Record<string, string>;
}

/** Maps anything a handler threw to a response; unknown errors become a bare 500. */
export function errorToHttp(error: unknown): HttpError {
  if (isDomainError(error)) {
    const headers: Record<string, string> = {};
    const retryAfter = error.details?.retryAfterSeconds;
    if (typeof retryAfter === 'number') headers['retry-after'] = String(Math.max(1, Math.ceil(retryAfter)));
    return { status: statusOfKind[error.kind], body: { message: error.message, code: error.code }, headers };
  }
  const parserError = error as { type?: string; status?: number; limit?: number };
  if (parserError.type === 'entity.too.large') {
    return { status: 413, body: { message: `request body exceeds ${parserError.limit} bytes`, code: 'HTTP.BODY_TOO_LARGE' }, headers: {} };
  }
  if (parserError.type === 'entity.parse.failed') {
    return { status: 400, body: { message: 'request body is not valid JSON', code: 'HTTP.MALFORMED_JSON' }, headers: {} };
  }
  if (parserError.type === 'encoding.unsupported' || parserError.type === 'charset.unsupported') {
    return { status: 415, body: { message: 'unsupported request encoding', code: 'HTTP.UNSUPPORTED_ENCODING' }, headers: {} };
  }
  // Other client errors express and body-parser flag themselves (a bad percent-encoding in the
  // path, a body that does not decompress): their status, a fixed message, no internals.
  if (typeof parserError.status === 'number' && parserError.status >= 400 && parserError.status < 500) {
    return { status: parserError.status, body: { message: 'the request is malformed', code: 'HTTP.BAD_REQUEST' }, headers: {} };
  }
  if (isDependencyDown(error)) {
    return { status: 503, body: { message: 'a service the exchange depends on is unavailable; retry later', code: 'UNAVAILABLE' }, headers: { 'retry-after': '1' } };
  }
  return { status: 500, body: { message: 'internal error', code: 'INTERNAL' }, headers: {} };
}

/** Socket errors of a connection to a database, cache or broker that is down or restarting. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTCONN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** Driver errors that say the same: MongoDB's, ioredis's, and PostgreSQL's shutdown codes (57P01-57P03). */
const UNAVAILABLE_NAMES = new Set(['MongoNetworkError', 'MongoServerSelectionError', 'MongoNetworkTimeoutError', 'MaxRetriesPerRequestError']);
const UNAVAILABLE_MESSAGES = /^(Connection terminated|Connection is closed|timeout exceeded when trying to connect|Client has encountered a connection error)/;

/** Whether a handler failed because a dependency is unreachable (a 503 the client may retry), not because of a bug (500). */
function isDependencyDown(error: unknown): boolean {
  for (let cause = error, depth = 0; typeof cause === 'object' && cause !== null && depth < 5; cause = (cause as { cause?: unknown }).cause, depth++) {
    const { code, name, message, driverError } = cause as { code?: unknown; name?: unknown; message?: unknown; driverError?: { code?: unknown } };
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || /^57P0[123]$/.test(code))) return true;
    if (typeof driverError?.code === 'string' && /^57P0[123]$/.test(driverError.code)) return true;
    if (typeof name === 'string' && UNAVAILABLE_NAMES.has(name)) return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message)) return true;
  }
  return false;
}
