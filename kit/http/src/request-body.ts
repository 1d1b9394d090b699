import type { IncomingMessage } from 'node:http';
import { parse as parseQuery } from 'fast-querystring';

/** Thrown for a body over the limit; `errorToHttp` answers 413. */
export class BodyTooLargeError extends Error {
  readonly type = 'entity.too.large';
  constructor(readonly limit: number) {
    super(`request body exceeds ${limit} bytes`);
  }
}

const EMPTY = Buffer.alloc(0);

/** Whether the request carries a body at all (a GET or DELETE usually does not). */
export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

/**
 * Reads the body up to `limit` bytes and parses it as express.json (strict) would: JSON only
 * for a JSON content type, an object or array at the top, UTF-8 only, no content coding.
 * Both lanes read API bodies here, so they agree on limits, encodings and errors.
 */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<{ rawBody: Buffer; body: unknown }> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) throw new BodyTooLargeError(limit);
  const rawBody = hasBody(req) ? await readAll(req, limit) : EMPTY;
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

/** What `readJsonBody` answers for a request that carries no body, without waiting for its end. */
export function emptyBody(req: IncomingMessage): { rawBody: Buffer; body: unknown } {
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') throw unsupported('unsupported request encoding');
  return { rawBody: EMPTY, body: isJson(req.headers['content-type']) ? {} : undefined };
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

/**
 * Repeated keys give arrays, as express's simple query parser (node:querystring) does;
 * fast-querystring parses the same way in a fraction of the time.
 */
export function parseUrlQuery(url: string): Record<string, unknown> {
  const queryAt = url.indexOf('?');
  return queryAt < 0 ? {} : parseQuery(url.slice(queryAt + 1));
}

const DEFAULT_BODY_LIMIT = 64 * 1024;

/** `16kb`, `1mb` or bytes, as express.json's `limit` takes it. */
export function bodyLimitBytes(limit: string | undefined): number {
  if (limit === undefined) return DEFAULT_BODY_LIMIT;
  const match = /^(\d+)\s*(b|kb|mb)?$/i.exec(limit.trim());
  if (!match) throw new Error(`unsupported body limit ${limit}`);
  const unit = { b: 1, kb: 1024, mb: 1024 * 1024 }[(match[2] ?? 'b').toLowerCase() as 'b' | 'kb' | 'mb'];
  return Number(match[1]) * unit;
}
