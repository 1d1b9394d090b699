import type { Application, Router } from 'express';
import { Container } from 'inversify';
import { AuthRouter, authModule, authTypeormRepositoryModule } from '@sd/auth/auth.module';
import { authSqlSchema } from '@sd/auth/repository/typeorm/auth-sql-schema';
import { authSettings, type Clock } from '@sd/auth/usecase/auth-settings';
import { cacheModule } from '@sd/cache/cache.module';
import { Logger } from '@sd/domain/logger';
import { createHttpApp } from '@sd/http/http-app';
import { createLogger } from '@sd/logging/logger';
import { Metrics } from '@sd/metrics/metrics';
import { openSqlDatabase, type SqlDatabase } from '@sd/orm/sql-database';
import { rateLimitModule } from '@sd/ratelimit/ratelimit.module';
import { resolveAuthKeys } from '@sd/auth/auth-keys';
import type { UserConfig } from './config';

/** The express app this process serves. */
export const HttpApp = Symbol.for('app.user.HttpApp');
/** The SQL database of this process; the container closes it on unbind. */
export const UserDatabase = Symbol.for('app.user.SqlDatabase');

export interface UserContainerOptions {
  /** Epoch-ms clock of the auth domain; tests move it to expire tokens. */
  clock?: Clock;
  /** Replaces the pino logger built from `config.logLevel`. */
  logger?: Logger;
}

/** Builds the whole user app from its config; `main` and the tests both start here. */
export async function createUserContainer(config: UserConfig, options: UserContainerOptions = {}): Promise<Container> {
  const container = new Container({ defaultScope: 'Singleton' });
  const logger = options.logger ?? createLogger({ name: 'user', level: config.logLevel });
  container.bind(Logger).toConstantValue(logger);
  container.bind(Metrics).toConstantValue(new Metrics({ defaultMetrics: true }));

  const keys = await resolveAuthKeys(config.keys, logger);
  const database = await openSqlDatabase(config.sql, authSqlSchema);
  container
    .bind<SqlDatabase>(UserDatabase)
    .toResolvedValue(() => database)
    .onDeactivation((db) => db.close());
  container.get(UserDatabase); // activated now, so unbinding always closes it

  container.load(
    cacheModule(config.cache),
    rateLimitModule(config.rateLimiter),
    authTypeormRepositoryModule(database.dataSource),
    authModule(authSettings(keys, config.auth), { clock: options.clock }),
  );
  container.bind<Application>(HttpApp).toResolvedValue(
    (logger: Logger, metrics: Metrics, authRouter: Router) =>
      createHttpApp({
        logger,
        metrics,
        bodyLimit: '16kb',
        routes: (app) => {
          app.get('/api/health', (_req, res) => void res.json({ status: 'ok' }));
          app.get('/metrics', async (_req, res) => {
            const { contentType, body } = await metrics.expose();
            res.type(contentType).send(body);
          });
          app.use('/api', authRouter);
        },
      }),
    [Logger, Metrics, AuthRouter],
  );
  return container;
}
