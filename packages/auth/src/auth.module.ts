import type { Router } from 'express';
import { ContainerModule } from 'inversify';
import type { DataSource } from 'typeorm';
import { ApiKeyRepository } from '@sd/domain/auth/api-key';
import { Authenticator } from '@sd/domain/auth/authenticator';
import { SessionRepository } from '@sd/domain/auth/session';
import { UserRepository } from '@sd/domain/auth/user';
import { Logger } from '@sd/domain/logger';
import { RateLimiter } from '@sd/domain/rate-limit';
import type { ApiRoute } from '@sd/http/api-route';
import { createAuthServiceRouter } from './delivery/http/auth-service.router';
import { createAuthRouter } from './delivery/http/auth.router';
import { authRoutes, type AuthRoutesDeps } from './delivery/http/auth.routes';
import { gitbitexUsersRoutes } from './delivery/gitbitex/gitbitex-users.routes';
import { CachedSessionRepository } from './repository/cached/cached-session-repository';
import { TypeormApiKeyRepository, TypeormSessionRepository, TypeormUserRepository } from './repository/typeorm/auth.typeorm-repo';
import { AccessTokenCodec } from './usecase/access-token';
import { AccountUseCase } from './usecase/account.usecase';
import { ApiKeyUseCase } from './usecase/api-key.usecase';
import type { AuthSettings, Clock } from './usecase/auth-settings';
import { CredentialAuthenticator } from './usecase/authenticator.usecase';
import { PasswordHasher } from './usecase/password-hasher';
import { SecretBox } from './usecase/secret-box';

/** The users router (`createAuthRouter`), for an app to mount under `/api`. */
export const AuthRouter = Symbol.for('sd.auth.AuthRouter');
/** Token verification for other services (`createAuthServiceRouter`), for the user app to mount at its root. */
export const AuthServiceRouter = Symbol.for('sd.auth.AuthServiceRouter');
/** The users API as routes (`authRoutes`), for an app that serves them among its own API routes under `/api`. */
export const AuthRoutes = Symbol.for('sd.auth.AuthRoutes');
/** The users API as gitbitex-web calls it (`gitbitexUsersRoutes`), for an app serving that page under `/api`. */
export const GitbitexUserRoutes = Symbol.for('sd.auth.GitbitexUserRoutes');

const AUTH_MOUNT_PATH = '/api';

/**
 * The auth use cases, the `Authenticator`, the `AuthRouter` (and its `AuthRoutes`) and the `AuthServiceRouter`. Needs `Logger`, `Cache`,
 * `RateLimiter` and the three repositories bound (for example by `authTypeormRepositoryModule`).
 */
export function authModule(settings: AuthSettings, options: { clock?: Clock } = {}): ContainerModule {
  const clock = options.clock ?? Date.now;
  return new ContainerModule(({ bind }) => {
    bind(PasswordHasher).toResolvedValue(() => new PasswordHasher(settings.scrypt)).inSingletonScope();
    bind(AccessTokenCodec).toResolvedValue(() => new AccessTokenCodec(settings.tokenSigningKey)).inSingletonScope();
    bind(SecretBox).toResolvedValue(() => new SecretBox(settings.apiKeyEncryptionKey)).inSingletonScope();
    bind(AccountUseCase)
      .toResolvedValue(
        (users: UserRepository, sessions: SessionRepository, hasher: PasswordHasher, tokens: AccessTokenCodec, logger: Logger) =>
          new AccountUseCase(users, sessions, hasher, tokens, settings, clock, logger.child({ component: 'auth' })),
        [UserRepository, SessionRepository, PasswordHasher, AccessTokenCodec, Logger],
      )
      .inSingletonScope();
    bind(ApiKeyUseCase)
      .toResolvedValue(
        (apiKeys: ApiKeyRepository, box: SecretBox, logger: Logger) =>
          new ApiKeyUseCase(apiKeys, box, settings, clock, logger.child({ component: 'auth' })),
        [ApiKeyRepository, SecretBox, Logger],
      )
      .inSingletonScope();
    bind<Authenticator>(Authenticator)
      .toResolvedValue(
        (sessions: SessionRepository, apiKeys: ApiKeyRepository, tokens: AccessTokenCodec, box: SecretBox) =>
          new CredentialAuthenticator(sessions, apiKeys, tokens, box, settings, clock),
        [SessionRepository, ApiKeyRepository, AccessTokenCodec, SecretBox],
      )
      .inSingletonScope();
    const routesDeps = (accounts: AccountUseCase, apiKeys: ApiKeyUseCase, authenticator: Authenticator, rateLimiter: RateLimiter, logger: Logger): AuthRoutesDeps => ({
      accounts,
      apiKeys,
      authenticator,
      rateLimiter,
      settings,
      logger,
      mountPath: AUTH_MOUNT_PATH,
    });
    const routesDepsTokens = [AccountUseCase, ApiKeyUseCase, Authenticator, RateLimiter, Logger] as const;
    bind<Router>(AuthRouter)
      .toResolvedValue((...deps: Parameters<typeof routesDeps>) => createAuthRouter(routesDeps(...deps)), [...routesDepsTokens])
      .inSingletonScope();
    bind<ApiRoute[]>(AuthRoutes)
      .toResolvedValue((...deps: Parameters<typeof routesDeps>) => authRoutes(routesDeps(...deps)), [...routesDepsTokens])
      .inSingletonScope();
    bind<ApiRoute[]>(GitbitexUserRoutes)
      .toResolvedValue((...deps: Parameters<typeof routesDeps>) => gitbitexUsersRoutes(routesDeps(...deps)), [...routesDepsTokens])
      .inSingletonScope();
    bind<Router>(AuthServiceRouter)
      .toResolvedValue((authenticator: Authenticator) => createAuthServiceRouter(authenticator), [Authenticator])
      .inSingletonScope();
  });
}

/**
 * The auth repositories on an open typeorm data source (see `authSqlSchema`). `sessionCache:
 * 'local'` keeps sessions in process memory: only for a store this process alone writes.
 */
export function authTypeormRepositoryModule(dataSource: DataSource, options: { sessionCache?: 'local' | 'none' } = {}): ContainerModule {
  return new ContainerModule(({ bind }) => {
    const sessions = new TypeormSessionRepository(dataSource);
    bind<UserRepository>(UserRepository).toConstantValue(new TypeormUserRepository(dataSource));
    bind<SessionRepository>(SessionRepository).toConstantValue(options.sessionCache === 'local' ? new CachedSessionRepository(sessions) : sessions);
    bind<ApiKeyRepository>(ApiKeyRepository).toConstantValue(new TypeormApiKeyRepository(dataSource));
  });
}
