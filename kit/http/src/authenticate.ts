import type { IncomingHttpHeaders } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Authenticator, SignedRequest } from '@sd/domain/auth/authenticator';
import { authErrors } from '@sd/domain/auth/errors';
import { isDomainError } from '@sd/domain/errors';
import type { Principal } from '@sd/domain/auth/principal';

/** The cookie the web page authenticates with (HttpOnly, SameSite=Strict, Secure over TLS). */
export const ACCESS_TOKEN_COOKIE = 'accessToken';

/** Where `authenticate` leaves the principal on `res.locals`. */
interface AuthLocals {
  principal?: Principal;
}

/** The principal `authenticate` found; throws 401 on a route that was not authenticated. */
export function principalOf(res: Response): Principal {
  const principal = (res.locals as AuthLocals).principal;
  if (!principal) throw authErrors.unauthenticated();
  return principal;
}

/** What authentication reads of an HTTP request, whichever server parsed it. */
export interface HttpCredentials {
  method: string;
  /** Path and query as received, mount prefix included. */
  url: string;
  headers: IncomingHttpHeaders;
  /** The body as sent (signatures cover it); '' for none. Read only for signed requests. */
  body(): string;
  /** Where the router serving the request is mounted (`/api`); '' at the root. */
  mountPath: string;
}

/**
 * Accepts a Coinbase-Exchange signature (CB-ACCESS-* headers), a bearer token
 * (`Authorization: Bearer ...`) or the `accessToken` cookie, in that order; anything else is a 401.
 * A state-changing request authenticated by the cookie must come from this site (403 otherwise):
 * the browser attaches the cookie to whatever a page of another site makes it send.
 */
export async function authenticateHttp(authenticator: Authenticator, request: HttpCredentials): Promise<Principal> {
  const signed = signedRequestOf(request);
  if (signed) return authenticateSigned(authenticator, signed, request.mountPath);
  const token = accessTokenOf(request.headers);
  if (token === undefined) throw authErrors.unauthenticated();
  if (request.headers.authorization === undefined && !SAFE_METHODS.has(request.method.toUpperCase())) assertSameOrigin(request.headers);
  return authenticator.authenticateToken(token);
}

/** Methods that change nothing: a cross-site GET with the cookie (a link) reads nothing the other site can see. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses (403) a request a browser sent from another origin: by `Sec-Fetch-Site` (every
 * current browser sends it) or, without it, by `Origin` against the host the request was sent
 * to. A request with neither is not a browser's cross-site request (browsers send `Origin` on
 * every cross-origin POST, PUT, DELETE and WebSocket upgrade), so it passes. A sibling
 * subdomain (`same-site`) is refused too: it may be someone else's.
 */
export function assertSameOrigin(headers: IncomingHttpHeaders): void {
  const fetchSite = headerValue(headers, 'sec-fetch-site');
  if (fetchSite !== undefined) {
    if (fetchSite === 'same-origin' || fetchSite === 'none') return;
    throw authErrors.crossSite();
  }
  const origin = headerValue(headers, 'origin');
  if (origin === undefined) return;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw authErrors.crossSite(); // `null` (a sandboxed or file page) or garbage
  }
  const hosts = [headerValue(headers, 'host'), headerValue(headers, 'x-forwarded-host')];
  if (!hosts.some((host) => host !== undefined && host.toLowerCase() === originHost.toLowerCase())) throw authErrors.crossSite();
}

/** Express middleware over `authenticateHttp`; puts the principal where `principalOf(res)` reads it. */
export function authenticate(authenticator: Authenticator): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const request = { method: req.method, url: req.originalUrl, headers: req.headers, body: () => bodyAsSent(req), mountPath: req.baseUrl };
    (res.locals as AuthLocals).principal = await authenticateHttp(authenticator, request);
    next();
  };
}

/**
 * Coinbase clients sign the path after their base URL: one configured with
 * `http://host/api` signs `/orders`, not `/api/orders`. Where the router is mounted under a
 * prefix, a signature over the path without it is accepted too.
 */
async function authenticateSigned(authenticator: Authenticator, signed: SignedRequest, mountPath: string): Promise<Principal> {
  try {
    return await authenticator.authenticateSignature(signed);
  } catch (error) {
    const mounted = mountPath !== '' && signed.requestPath.startsWith(mountPath);
    if (!mounted || !isDomainError(error) || error.code !== authErrors.invalidSignature().code) throw error;
    return authenticator.authenticateSignature({ ...signed, requestPath: signed.requestPath.slice(mountPath.length) });
  }
}

/** The bearer token of an `Authorization` header, else the `accessToken` cookie. */
export function accessTokenOf(headers: { authorization?: string | undefined; cookie?: string | undefined }): string | undefined {
  const authorization = headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer +([^\s]+)\s*$/i.exec(authorization);
    if (!match) throw authErrors.invalidToken();
    return match[1];
  }
  return cookieValue(headers.cookie, ACCESS_TOKEN_COOKIE);
}

/** The signed-request view of a request, or undefined without CB-ACCESS-KEY. */
function signedRequestOf(request: HttpCredentials): SignedRequest | undefined {
  const key = headerValue(request.headers, 'cb-access-key');
  if (key === undefined) return undefined;
  const header = (name: string): string => {
    const value = headerValue(request.headers, name);
    if (value === undefined || value === '') throw authErrors.invalidSignature();
    return value;
  };
  return {
    key,
    signature: header('cb-access-sign'),
    timestamp: header('cb-access-timestamp'),
    passphrase: header('cb-access-passphrase'),
    method: request.method,
    requestPath: request.url,
    body: request.body(),
  };
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The body as the client sent it: the raw body when the app's JSON parser kept it as
 * `req.rawBody`, otherwise the parsed body serialized compactly (what JSON clients send): a
 * body that differs in meaning from what was signed fails either way.
 */
function bodyAsSent(req: Request): string {
  const raw = (req as Request & { rawBody?: unknown }).rawBody;
  if (Buffer.isBuffer(raw)) return raw.toString('utf8');
  return req.body === undefined ? '' : JSON.stringify(req.body);
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator < 0 || part.slice(0, separator).trim() !== name) continue;
    const value = part.slice(separator + 1).trim();
    try {
      return decodeURIComponent(value.replace(/^"(.*)"$/, '$1'));
    } catch {
      return undefined;
    }
  }
  return undefined;
}
