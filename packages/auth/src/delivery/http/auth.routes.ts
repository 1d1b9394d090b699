import { Type, type Static } from '@sinclair/typebox';
import { serialize as serializeCookie } from 'cookie';
import type { Authenticator } from '@sd/domain/auth/authenticator';
import { PERMISSIONS } from '@sd/domain/auth/api-key';
import type { Logger } from '@sd/domain/logger';
import type { RateLimiter } from '@sd/domain/rate-limit';
import { defineRoute, type ApiRequest, type ApiRoute } from '@sd/http/api-route';
import { ACCESS_TOKEN_COOKIE } from '@sd/http/authenticate';
import type { OpenApiSecurity } from '@sd/http/openapi';
import { rateLimitCheck, type RateLimitCheck } from '@sd/ratelimit/rate-limit.middleware';
import type { AccountUseCase, AccountView, TokenPair } from '../../usecase/account.usecase';
import type { ApiKeyUseCase, ApiKeyView, CreatedApiKey } from '../../usecase/api-key.usecase';
import type { AuthSettings } from '../../usecase/auth-settings';
import { authorizer, type Authorize } from './authorize';

export interface AuthRoutesDeps {
  accounts: AccountUseCase;
  apiKeys: ApiKeyUseCase;
  authenticator: Authenticator;
  rateLimiter: RateLimiter;
  settings: Pick<AuthSettings, 'rateLimits' | 'cookieSecure' | 'accessTokenTtlSeconds'>;
  logger: Logger;
  /** Where the routes are mounted (`/api`): signatures may cover the path with or without it. */
  mountPath: string;
}

const Time = Type.String({ description: 'ISO-8601 UTC', examples: ['2026-01-01T00:00:00.000Z'] });
const Account = Type.Object({ id: Type.String(), email: Type.String(), created_at: Time });
const Tokens = Type.Object({
  access_token: Type.String(),
  refresh_token: Type.String(),
  expires_in: Type.Integer({ description: 'seconds' }),
  token_type: Type.Literal('Bearer'),
});
/** The tokens a log-in or a refresh answers, for clients' types. */
export type TokensJson = Static<typeof Tokens>;
const Permissions = Type.Array(Type.Union(PERMISSIONS.map((permission) => Type.Literal(permission))));
const ApiKey = Type.Object({ id: Type.String(), key: Type.String(), permissions: Permissions, label: Type.String(), created_at: Time });
const CreatedKey = Type.Composite([ApiKey, Type.Object({ secret: Type.String({ description: 'shown once' }), passphrase: Type.String({ description: 'shown once' }) })]);
// Shapes only: the account use case checks the email format and the password policy.
export const Credentials = Type.Object({ email: Type.String({ maxLength: 1024 }), password: Type.String({ maxLength: 1024 }) });

/**
 * The users API: `POST /users` sign-up, `POST|DELETE /users/accessToken` log-in / log-out,
 * `POST /users/refreshToken`, `GET /users/self`, `POST|GET /users/apiKeys`,
 * `DELETE /users/apiKeys/:id`. Per-IP limits on everything, per-user once signed in.
 */
export function authRoutes(deps: AuthRoutesDeps): ApiRoute[] {
  const { accounts, apiKeys } = deps;
  const guards = usersApiGuards(deps);
  const { perIp, anonymous, signedIn, cookie } = guards;
  const tags = ['users'];

  return [
    defineRoute({
      method: 'POST',
      path: '/users',
      summary: 'Sign up',
      tags,
      security: 'public',
      status: 201,
      schema: { body: Credentials, response: Account },
      handle: async (request, reply) => {
        await anonymous(request.ip, reply.headers);
        return accountJson(await accounts.signUp(request.body));
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/users/accessToken',
      summary: 'Log in: a token pair, and the access token as an httpOnly cookie',
      tags,
      security: 'public',
      schema: { body: Credentials, response: Tokens },
      handle: async (request, reply) => {
        await anonymous(request.ip, reply.headers);
        const pair = await accounts.logIn(request.body);
        reply.headers['set-cookie'] = cookie.set(request, pair.accessToken);
        return tokensJson(pair);
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/users/refreshToken',
      summary: 'Trade a refresh token for a new token pair',
      tags,
      security: 'public',
      schema: { body: Type.Object({ refresh_token: Type.String({ maxLength: 1024 }) }), response: Tokens },
      handle: async (request, reply) => {
        await anonymous(request.ip, reply.headers);
        const pair = await accounts.refresh(request.body);
        reply.headers['set-cookie'] = cookie.set(request, pair.accessToken);
        return tokensJson(pair);
      },
    }),
    logOutRoute(accounts, guards, tags),
    defineRoute({
      method: 'GET',
      path: '/users/self',
      summary: 'The signed-in user',
      tags,
      security: 'signed-in',
      schema: { response: Account },
      handle: async (request, reply) => {
        await perIp(request.ip, reply.headers);
        return accountJson(await accounts.currentUser(await signedIn(request, reply.headers)));
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/users/apiKeys',
      summary: 'Create an API key (from a log-in session only); its secret and passphrase are shown once',
      tags,
      security: 'signed-in',
      status: 201,
      schema: {
        body: Type.Object({ permissions: Type.Optional(Type.Array(Type.String(), { description: `a non-empty subset of ${PERMISSIONS.join(', ')}; default view` })), label: Type.Optional(Type.String()) }),
        response: CreatedKey,
      },
      handle: async (request, reply) => {
        await perIp(request.ip, reply.headers);
        return createdKeyJson(await apiKeys.create(await signedIn(request, reply.headers), request.body));
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/users/apiKeys',
      summary: "The user's API keys",
      tags,
      security: 'signed-in',
      schema: { response: Type.Array(ApiKey) },
      handle: async (request, reply) => {
        await perIp(request.ip, reply.headers);
        return (await apiKeys.list(await signedIn(request, reply.headers))).map(apiKeyJson);
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/users/apiKeys/:id',
      summary: 'Delete an API key',
      tags,
      security: 'signed-in',
      schema: { params: Type.Object({ id: Type.String({ maxLength: 200 }) }) },
      handle: async (request, reply) => {
        await perIp(request.ip, reply.headers);
        await apiKeys.delete(await signedIn(request, reply.headers), request.params.id);
      },
    }),
  ];
}

/** What every users API (this one and gitbitex-web's) checks before its use cases. */
export interface UsersApiGuards {
  /** Every request, per client IP. */
  perIp: RateLimitCheck;
  /** Requests that carry credentials: per IP, then the stricter per-IP limit on credentials. */
  anonymous: RateLimitCheck;
  /** The signed-in user, counted against the per-user limit. */
  signedIn: Authorize;
  cookie: ReturnType<typeof accessTokenCookie>;
}

/** The guards at the limits `settings.rateLimits` sets. */
export function usersApiGuards(deps: Pick<AuthRoutesDeps, 'authenticator' | 'rateLimiter' | 'settings' | 'logger' | 'mountPath'>): UsersApiGuards {
  const { rateLimiter, settings, logger } = deps;
  const limits = settings.rateLimits;
  const perIp = rateLimitCheck(rateLimiter, { name: 'ip', rule: limits.perIp, logger });
  const credentialsPerIp = rateLimitCheck(rateLimiter, { name: 'credentials', rule: limits.credentialsPerIp, logger });
  return {
    perIp,
    anonymous: async (ip, headers) => {
      await perIp(ip, headers);
      await credentialsPerIp(ip, headers);
    },
    signedIn: authorizer(deps.authenticator, { mountPath: deps.mountPath, limit: rateLimitCheck(rateLimiter, { name: 'user', rule: limits.perUser, logger }) }),
    cookie: accessTokenCookie(settings),
  };
}

/** `DELETE /users/accessToken`: the session is revoked and the cookie cleared. */
export function logOutRoute(accounts: AccountUseCase, { perIp, signedIn, cookie }: UsersApiGuards, tags: string[]): ApiRoute {
  return defineRoute({
    method: 'DELETE',
    path: '/users/accessToken',
    summary: 'Log out: the session is revoked and the cookie cleared',
    tags,
    security: 'signed-in',
    schema: {},
    handle: async (request, reply) => {
      await perIp(request.ip, reply.headers);
      await accounts.logOut(await signedIn(request, reply.headers));
      reply.headers['set-cookie'] = cookie.clear(request);
    },
  });
}

/**
 * How a signed-in route authenticates, for an OpenAPI document: a bearer token, the
 * `accessToken` cookie, or a Coinbase-Exchange signature (all four CB-ACCESS-* headers).
 */
export const AUTH_SECURITY: OpenApiSecurity = {
  schemes: {
    bearer: { type: 'http', scheme: 'bearer', description: 'the access_token of POST /users/accessToken' },
    cookie: { type: 'apiKey', in: 'cookie', name: ACCESS_TOKEN_COOKIE },
    cbAccessKey: { type: 'apiKey', in: 'header', name: 'CB-ACCESS-KEY' },
    cbAccessSign: { type: 'apiKey', in: 'header', name: 'CB-ACCESS-SIGN', description: 'base64 HMAC-SHA256 of timestamp + method + request path + body' },
    cbAccessTimestamp: { type: 'apiKey', in: 'header', name: 'CB-ACCESS-TIMESTAMP' },
    cbAccessPassphrase: { type: 'apiKey', in: 'header', name: 'CB-ACCESS-PASSPHRASE' },
  },
  signedIn: [{ bearer: [] }, { cookie: [] }, { cbAccessKey: [], cbAccessSign: [], cbAccessTimestamp: [], cbAccessPassphrase: [] }],
};

/**
 * The `Set-Cookie` values of the `accessToken` cookie: set by a log-in (as long as the token),
 * cleared by a log-out. HttpOnly and SameSite=Strict: no page or link of another site makes
 * the browser send it (the page's own requests are same-site). Secure with COOKIE_SECURE, or
 * when the request came over TLS: the exchange does not terminate TLS itself, so that is what
 * the proxy in front says (believing a client that claims it only makes that client's own
 * cookie https-only).
 */
export function accessTokenCookie(settings: Pick<AuthSettings, 'cookieSecure' | 'accessTokenTtlSeconds'>): {
  set(request: ApiRequest, token: string): string;
  clear(request: ApiRequest): string;
} {
  const cookie = (request: ApiRequest, value: string, expiry: { maxAge?: number; expires: Date }): string =>
    serializeCookie(ACCESS_TOKEN_COOKIE, value, {
      httpOnly: true,
      sameSite: 'strict',
      secure: settings.cookieSecure || firstHeader(request.headers['x-forwarded-proto'])?.split(',')[0]?.trim() === 'https',
      path: '/',
      ...expiry,
    });
  const ttl = settings.accessTokenTtlSeconds;
  return {
    set: (request, token) => cookie(request, token, { maxAge: ttl, expires: new Date(Date.now() + ttl * 1000) }),
    clear: (request) => cookie(request, '', { expires: new Date(0) }),
  };
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

const iso = (epochMs: number): string => new Date(epochMs).toISOString();

const accountJson = (account: AccountView) => ({ id: account.id, email: account.email, created_at: iso(account.createdAt) });

const tokensJson = (pair: TokenPair) => ({
  access_token: pair.accessToken,
  refresh_token: pair.refreshToken,
  expires_in: pair.expiresInSeconds,
  token_type: pair.tokenType,
});

const apiKeyJson = (key: ApiKeyView) => ({
  id: key.id,
  key: key.key,
  permissions: [...key.permissions],
  label: key.label,
  created_at: iso(key.createdAt),
});

const createdKeyJson = (key: CreatedApiKey) => ({ ...apiKeyJson(key), secret: key.secret, passphrase: key.passphrase });
