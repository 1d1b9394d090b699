import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Permission } from '@sd/domain/auth/api-key';
import type { Authenticator, SignedRequest } from '@sd/domain/auth/authenticator';
import { authErrors } from '@sd/domain/auth/errors';
import { isDomainError } from '@sd/domain/errors';
import type { Principal } from '@sd/domain/auth/principal';
import { assertPermission } from '../../usecase/authenticator.usecase';

/** The cookie the web page authenticates with (httpOnly, SameSite=Lax). */
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

/**
 * Express middleware for any app: accepts a Coinbase-Exchange signature (CB-ACCESS-* headers),
 * a bearer token (`Authorization: Bearer ...`) or the `accessToken` cookie, in that order, and
 * puts the principal where `principalOf(res)` reads it. Anything else is a 401.
 */
export function authenticate(authenticator: Authenticator): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const signed = signedRequestOf(req);
    let principal: Principal;
    if (signed) principal = await authenticateSigned(authenticator, signed, req);
    else {
      const token = accessTokenOf(req.headers);
      if (token === undefined) throw authErrors.unauthenticated();
      principal = await authenticator.authenticateToken(token);
    }
    (res.locals as AuthLocals).principal = principal;
    next();
  };
}

/**
 * Coinbase clients sign the path after their base URL: one configured with
 * `http://host/api` signs `/orders`, not `/api/orders`. Where the router is mounted under a
 * prefix, a signature over the path without it is accepted too.
 */
async function authenticateSigned(authenticator: Authenticator, signed: SignedRequest, req: Request): Promise<Principal> {
  try {
    return await authenticator.authenticateSignature(signed);
  } catch (error) {
    const mounted = req.baseUrl !== '' && signed.requestPath.startsWith(req.baseUrl);
    if (!mounted || !isDomainError(error) || error.code !== authErrors.invalidSignature().code) throw error;
    return authenticator.authenticateSignature({ ...signed, requestPath: signed.requestPath.slice(req.baseUrl.length) });
  }
}

/** Refuses (403) a principal without `permission`, e.g. a `view` API key on a trading route. */
export function requirePermission(permission: Permission): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction): void => {
    assertPermission(principalOf(res), permission);
    next();
  };
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

/**
 * The signed-request view of an express request, or undefined without CB-ACCESS-KEY. The
 * body is the raw body when the app's JSON parser kept it as `req.rawBody`, otherwise the
 * parsed body serialized compactly (what JSON clients send): a body that differs in meaning
 * from what was signed fails either way.
 */
export function signedRequestOf(req: Request): SignedRequest | undefined {
  const key = req.get('cb-access-key');
  if (key === undefined) return undefined;
  const header = (name: string): string => {
    const value = req.get(name);
    if (value === undefined || value === '') throw authErrors.invalidSignature();
    return value;
  };
  return {
    key,
    signature: header('cb-access-sign'),
    timestamp: header('cb-access-timestamp'),
    passphrase: header('cb-access-passphrase'),
    method: req.method,
    requestPath: req.originalUrl,
    body: bodyAsSent(req),
  };
}

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
