import type { Application, Router } from 'express';
import type { Container } from 'inversify';
import { createAppContainer, type AppOptions } from '@sd/app/app-container';
import { loadAuthApp } from '@sd/auth/auth-app.module';
import { AuthRouter } from '@sd/auth/auth.module';
import { httpAppModule } from '@sd/http/http-app.module';
import { LinksRouters, urlShortenerModule, urlShortenerSqlSchema, urlShortenerTypeormRepositoryModule } from '@sd/urlshortener/module';
import type { UrlShortenerConfig } from './config';

/**
 * The URL shortener: links and redirects, with the auth domain embedded (its users API under
 * `/api/users`) or asked remotely. `main`, the tests and the bench build it here.
 */
export async function createUrlShortenerContainer(config: UrlShortenerConfig, options: AppOptions = {}): Promise<Container> {
  const container = createAppContainer({ name: 'urlshortener', logLevel: config.logLevel, logger: options.logger });
  const database = await loadAuthApp(container, config, { schemas: [urlShortenerSqlSchema], clock: options.clock });
  container.load(
    urlShortenerTypeormRepositoryModule(database.dataSource),
    urlShortenerModule(
      {
        links: { cacheTtlMs: config.links.cacheTtlMs },
        http: { redirectStatus: config.links.redirectStatus, createPerUser: config.links.createPerUser, createPerIp: config.links.createPerIp, publicUrl: config.links.publicUrl },
        hitFlushIntervalMs: config.links.hitFlushIntervalMs,
      },
      { clock: options.clock },
    ),
  );
  container.load(
    httpAppModule({
      trustProxy: config.trustProxy,
      inject: [LinksRouters, { optional: true, serviceIdentifier: AuthRouter }],
      mount: (app: Application, links: { api: Router; redirects: Router }, users: Router | undefined) => {
        app.use('/api', ...(users ? [users] : []), links.api);
        app.use(links.redirects);
      },
    }),
  );
  return container;
}
