import { Router, type Request, type Response } from 'express';
import type { Authenticator } from '@sd/domain/auth/authenticator';
import type { Logger } from '@sd/domain/logger';
import type { RateLimiter } from '@sd/domain/rate-limit';
import type { AccountUseCase, AccountView, TokenPair } from '../../usecase/account.usecase';
import type { ApiKeyUseCase, ApiKeyView, CreatedApiKey } from '../../usecase/api-key.usecase';
import type { AuthSettings } from '../../usecase/auth-settings';
import { ACCESS_TOKEN_COOKIE, authenticate, principalOf } from '@sd/http/authenticate';
import { limitPerIp, limitPerUser } from './rate-limits';

export interface AuthRouterDeps {
  accounts: AccountUseCase;
  apiKeys: ApiKeyUseCase;
  authenticator: Authenticator;
  rateLimiter: RateLimiter;
  settings: Pick<AuthSettings, 'rateLimits' | 'cookieSecure' | 'accessTokenTtlSeconds'>;
  logger?: Logger;
}

/**
 * The users API, mounted by an app under `/api`:
 * `POST /users` sign-up, `POST|DELETE /users/accessToken` log-in / log-out,
 * `POST /users/refreshToken`, `GET /users/self`, `POST|GET /users/apiKeys`,
 * `DELETE /users/apiKeys/:id`. snake_case JSON; errors go to kit/http's table.
 */
export function createAuthRouter(deps: AuthRouterDeps): Router {
  const { accounts, apiKeys, rateLimiter, settings } = deps;
  const limits = settings.rateLimits;
  const router = Router();
  const perIp = limitPerIp(rateLimiter, limits.perIp, { logger: deps.logger });
  const credentials = limitPerIp(rateLimiter, limits.credentialsPerIp, { name: 'credentials', logger: deps.logger });
  const signedIn = [perIp, authenticate(deps.authenticator), limitPerUser(rateLimiter, limits.perUser, { logger: deps.logger })];

  const setAccessCookie = (res: Response, pair: TokenPair): void => {
    res.cookie(ACCESS_TOKEN_COOKIE, pair.accessToken, {
      httpOnly: true,
      sameSite: 'lax',
      secure: settings.cookieSecure,
      path: '/',
      maxAge: settings.accessTokenTtlSeconds * 1000,
    });
  };

  router.post('/users', perIp, credentials, async (req: Request, res: Response) => {
    res.status(201).json(accountJson(await accounts.signUp(req.body)));
  });
  router.post('/users/accessToken', perIp, credentials, async (req: Request, res: Response) => {
    const pair = await accounts.logIn(req.body);
    setAccessCookie(res, pair);
    res.json(tokensJson(pair));
  });
  router.post('/users/refreshToken', perIp, credentials, async (req: Request, res: Response) => {
    const pair = await accounts.refresh(req.body);
    setAccessCookie(res, pair);
    res.json(tokensJson(pair));
  });
  router.delete('/users/accessToken', ...signedIn, async (_req: Request, res: Response) => {
    await accounts.logOut(principalOf(res));
    res.clearCookie(ACCESS_TOKEN_COOKIE, { httpOnly: true, sameSite: 'lax', secure: settings.cookieSecure, path: '/' });
    res.status(204).end();
  });
  router.get('/users/self', ...signedIn, async (_req: Request, res: Response) => {
    res.json(accountJson(await accounts.currentUser(principalOf(res))));
  });
  router.post('/users/apiKeys', ...signedIn, async (req: Request, res: Response) => {
    res.status(201).json(createdKeyJson(await apiKeys.create(principalOf(res), req.body)));
  });
  router.get('/users/apiKeys', ...signedIn, async (_req: Request, res: Response) => {
    res.json((await apiKeys.list(principalOf(res))).map(apiKeyJson));
  });
  router.delete('/users/apiKeys/:id', ...signedIn, async (req: Request<{ id: string }>, res: Response) => {
    await apiKeys.delete(principalOf(res), req.params.id);
    res.status(204).end();
  });
  return router;
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
  permissions: key.permissions,
  label: key.label,
  created_at: iso(key.createdAt),
});

const createdKeyJson = (key: CreatedApiKey) => ({ ...apiKeyJson(key), secret: key.secret, passphrase: key.passphrase });
