import type { IncomingHttpHeaders } from 'node:http';
import type { Permission } from '@sd/domain/auth/api-key';
import type { Authenticator } from '@sd/domain/auth/authenticator';
import type { Principal } from '@sd/domain/auth/principal';
import { authenticateHttp } from '@sd/http/authenticate';
import type { RateLimitCheck } from '@sd/ratelimit/rate-limit.middleware';
import { assertPermission } from '../../usecase/permissions';

/** What authorization reads of an HTTP request, whichever lane or server parsed it. */
export interface AuthorizedRequest {
  method: string;
  /** Path and query as received, mount path included. */
  url: string;
  headers: IncomingHttpHeaders;
  /** The body's bytes as received, which a signature covers. */
  rawBody: Buffer;
}

/**
 * Authenticates a request (signature, bearer token or cookie), then checks `permission` and
 * counts it against the per-user `limit` (writing its RateLimit-* headers into `headers`);
 * answers the principal. Framework-neutral: both HTTP lanes call it, beside the header-based
 * `authenticateHttp` it builds on (kit/http).
 */
export type Authorize = (request: AuthorizedRequest, headers: Record<string, string>) => Promise<Principal>;

export function authorizer(authenticator: Authenticator, options: { mountPath: string } & PrincipalCheckOptions): Authorize {
  const { mountPath } = options;
  const check = principalCheck(options);
  return async (request, headers) => {
    const credentials = { method: request.method, url: request.url, headers: request.headers, body: () => request.rawBody.toString('utf8'), mountPath };
    return check(await authenticateHttp(authenticator, credentials), headers);
  };
}

export interface PrincipalCheckOptions {
  permission?: Permission;
  limit?: RateLimitCheck;
}

/**
 * What an authorizer checks once the caller is known: `permission`, then one request against
 * the per-user `limit`. For a caller authenticated another way (a signed-in WebSocket), so its
 * requests pass the same checks as the HTTP routes'.
 */
export type PrincipalCheck = (principal: Principal, headers: Record<string, string>) => Promise<Principal>;

export function principalCheck({ permission, limit }: PrincipalCheckOptions): PrincipalCheck {
  return async (principal, headers) => {
    if (permission !== undefined) assertPermission(principal, permission);
    if (limit !== undefined) await limit(principal.userId, headers);
    return principal;
  };
}
