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
  return { status: 500, body: { message: 'internal error', code: 'INTERNAL' }, headers: {} };
}
