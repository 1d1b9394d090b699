import type { Container } from 'inversify';
import { Authenticator } from '@sd/domain/auth/authenticator';
import { HealthCheck } from '@sd/domain/health';
import { Logger } from '@sd/domain/logger';
import { cacheModule } from '@sd/cache/cache.module';
import { MemoryCache } from '@sd/cache/memory/memory-cache';
import { combineSqlSchemas, openSqlDatabase, SqlDatabase, sqlHealthCheck, type SqlSchema } from '@sd/orm/sql-database';
import { rateLimitModule } from '@sd/ratelimit/ratelimit.module';
import { authModule, authTypeormRepositoryModule } from './auth.module';
import type { AuthAppConfig } from './auth-config';
import { resolveAuthKeys } from './auth-keys';
import { RemoteAuthenticator } from './repository/remote/remote-authenticator';
import { authSqlSchema } from './repository/typeorm/auth-sql-schema';
import { authSettings, type Clock } from './usecase/auth-settings';

/** Answers a remote authenticator keeps, at most: a bound on its memory under a flood of distinct tokens. */
const REMOTE_CACHE_ENTRIES = 10_000;

/**
 * The prelude of an app that authenticates (user, chat, URL shortener): opens its SQL database
 * with the auth tables (embedded auth) and `schemas`, binds it as `SqlDatabase` (closed on
 * unbind), and loads the cache, the rate limiter and an `Authenticator`: the auth domain
 * itself with its `AuthRouter` (embedded), or a `RemoteAuthenticator` asking the user service.
 * Binds the readiness checks of the database (named `<engine>:<holds>`, `holds` default `app`)
 * and of the user service when remote. Needs `Logger` bound; answers the database for the
 * app's own repositories.
 */
export async function loadAuthApp(
  container: Container,
  config: AuthAppConfig,
  options: { schemas?: readonly SqlSchema[]; clock?: Clock; holds?: string } = {},
): Promise<SqlDatabase> {
  const embedded = config.auth.kind === 'embedded';
  const database = await openSqlDatabase(config.sql, combineSqlSchemas([...(embedded ? [authSqlSchema] : []), ...(options.schemas ?? [])]));
  container
    .bind<SqlDatabase>(SqlDatabase)
    .toResolvedValue(() => database)
    .onDeactivation((db) => db.close());
  container.get(SqlDatabase); // activated now, so unbinding always closes it
  container.bind<HealthCheck>(HealthCheck).toConstantValue(sqlHealthCheck(database, options.holds ?? 'app'));
  container.load(cacheModule(config.cache), rateLimitModule(config.rateLimiter));
  const auth = config.auth;
  if (auth.kind === 'embedded') {
    const keys = await resolveAuthKeys(auth.keys, container.get<Logger>(Logger));
    container.load(
      authTypeormRepositoryModule(database.dataSource, { sessionCache: auth.sessionCache }),
      authModule(authSettings(keys, auth.settings), { clock: options.clock }),
    );
  } else {
    const remote = new RemoteAuthenticator(auth, new MemoryCache({ maxEntries: REMOTE_CACHE_ENTRIES }));
    container.bind<Authenticator>(Authenticator).toConstantValue(remote);
    container.bind<HealthCheck>(HealthCheck).toConstantValue({ name: 'auth-service', check: () => remote.ping() });
  }
  return database;
}
