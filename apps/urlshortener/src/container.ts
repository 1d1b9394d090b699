import type { Application, Router } from 'express';
import { Container } from 'inversify';
import { AuthRouter, authModule, authTypeormRepositoryModule } from '@sd/auth/auth.module';
import { resolveAuthKeys } from '@sd/auth/auth-keys';
import { authSqlSchema } from '@sd/auth/repository/typeorm/auth-sql-schema';
import { authSettings, type Clock } from '@sd/auth/usecase/auth-settings';
import { cacheModule } from '@sd/cache/cache.module';
import { Logger } from '@sd/domain/logger';
import { createHttpApp } from '@sd/http/http-app';
import { createLogger } from '@sd/logging/logger';
import { Metrics } from '@sd/metrics/metrics';
import { openSqlDatabase, type SqlDatabase } from '@sd/orm/sql-database';
import { rateLimitModule } from '@sd/ratelimit/ratelimit.module';
import { urlShortenerSqlSchema } from '@sd/urlshortener/repository/typeorm/urlshortener-sql-schema';
import { LinksRouters, urlShortenerModule, urlShortenerTypeormRepositoryModule } from '@sd/urlshortener/urlshortener.module';
import { HitCounter } from '@sd/urlshortener/usecase/hit-counter';
import { defaultLinkSettings } from '@sd/urlshortener/usecase/link.usecase';
import type { UrlShortenerConfig } from './config';

/** The express app this process serves. */
export const HttpApp = Symbol.for('app.urlshortener.HttpApp');
/** The SQL database (auth + links); unbinding flushes the hit counts, then closes it. */
export const UrlShortenerDatabase = Symbol.for('app.urlshortener.SqlDatabase');

export interface UrlShortenerContainerOptions {
  /** Epoch-ms clock of the auth and link use cases; tests move it to expire links. */
  clock?: Clock;
  logger?: Logger;
}

/** Builds the whole URL shortener app from its config; `main`, the tests and the bench start here. */
export async function createUrlShortenerContainer(config: UrlShortenerConfig, options: UrlShortenerContainerOptions = {}): Promise<Container> {
  const container = new Container({ defaultScope: 'Singleton' });
  const logger = options.logger ?? createLogger({ name: 'urlshortener', level: config.logLevel });
  container.bind(Logger).toConstantValue(logger);
  container.bind(Metrics).toConstantValue(new Metrics({ defaultMetrics: true }));

  const keys = await resolveAuthKeys(config.keys, logger);
  const database = await openSqlDatabase(config.sql, {
    entities: [...authSqlSchema.entities, ...urlShortenerSqlSchema.entities],
    migrations: [...authSqlSchema.migrations, ...urlShortenerSqlSchema.migrations],
  });
  const closing: { hits?: HitCounter } = {};
  container
    .bind<SqlDatabase>(UrlShortenerDatabase)
    .toResolvedValue(() => database)
    .onDeactivation(async (db) => {
      await closing.hits?.close(); // unbinding runs deactivations concurrently: the last flush must precede the close
      await db.close();
    });
  container.get(UrlShortenerDatabase);

  container.load(
    cacheModule(config.cache),
    rateLimitModule(config.rateLimiter),
    authTypeormRepositoryModule(database.dataSource),
    authModule(authSettings(keys, config.auth), { clock: options.clock }),
    urlShortenerTypeormRepositoryModule(database.dataSource),
    urlShortenerModule(
      {
        links: { ...defaultLinkSettings, cacheTtlMs: config.links.cacheTtlMs },
        http: { redirectStatus: config.links.redirectStatus, createPerUser: config.links.createPerUser, createPerIp: config.links.createPerIp, publicUrl: config.links.publicUrl },
        hitFlushIntervalMs: config.links.hitFlushIntervalMs,
      },
      { clock: options.clock },
    ),
  );
  closing.hits = container.get(HitCounter);
  container.bind<Application>(HttpApp).toResolvedValue(
    (logger: Logger, metrics: Metrics, authRouter: Router, links: { api: Router; redirects: Router }) =>
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
          app.use('/api', authRouter, links.api);
          app.use(links.redirects);
        },
      }),
    [Logger, Metrics, AuthRouter, LinksRouters],
  );
  return container;
}
