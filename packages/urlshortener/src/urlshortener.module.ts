import type { Router } from 'express';
import { ContainerModule } from 'inversify';
import type { DataSource } from 'typeorm';
import { Lifecycle } from '@sd/app/app-container';
import { Authenticator } from '@sd/domain/auth/authenticator';
import { Cache } from '@sd/domain/cache';
import { Logger } from '@sd/domain/logger';
import { RateLimiter } from '@sd/domain/rate-limit';
import { LinkRepository } from '@sd/domain/urlshortener/link';
import { createLinksRouters, type LinksHttpSettings } from './delivery/http/links.router';
import { TypeormLinkRepository } from './repository/typeorm/link.typeorm-repo';
import { HitCounter } from './usecase/hit-counter';
import { defaultLinkSettings, LinkUseCase, type LinkSettings } from './usecase/link.usecase';

export { urlShortenerSqlSchema } from './repository/typeorm/urlshortener-sql-schema';
/** The hit counter's token: `flush()` writes the counted redirects now. */
export { HitCounter };

/** `{ api, redirects }` routers (see `createLinksRouters`) for an app to mount. */
export const LinksRouters = Symbol.for('sd.urlshortener.LinksRouters');

export interface UrlShortenerSettings {
  /** Over `defaultLinkSettings`. */
  links: Partial<LinkSettings>;
  http: LinksHttpSettings;
  /** How often counted redirects are written to the store. */
  hitFlushIntervalMs: number;
}

/**
 * The link use case, its hit counter and the routers. Needs `LinkRepository`, `Cache`,
 * `RateLimiter`, `Authenticator`, `Logger` and kit/app's `Lifecycle` bound; the hit counter
 * makes its last flush at the app's stop, before the database closes.
 */
export function urlShortenerModule(settings: UrlShortenerSettings, options: { clock?: () => number } = {}): ContainerModule {
  const clock = options.clock ?? Date.now;
  return new ContainerModule(({ bind }) => {
    bind(HitCounter)
      .toResolvedValue(
        (links: LinkRepository, logger: Logger, lifecycle: Lifecycle) => {
          const hits = new HitCounter(links, settings.hitFlushIntervalMs, logger.child({ component: 'links' }));
          lifecycle.onStop(() => hits.close());
          return hits;
        },
        [LinkRepository, Logger, Lifecycle],
      )
      .inSingletonScope();
    bind(LinkUseCase)
      .toResolvedValue(
        (links: LinkRepository, cache: Cache, hits: HitCounter, logger: Logger) =>
          new LinkUseCase(links, cache, hits, { ...defaultLinkSettings, ...settings.links }, clock, logger.child({ component: 'links' })),
        [LinkRepository, Cache, HitCounter, Logger],
      )
      .inSingletonScope();
    bind<{ api: Router; redirects: Router }>(LinksRouters)
      .toResolvedValue(
        (links: LinkUseCase, authenticator: Authenticator, rateLimiter: RateLimiter, logger: Logger) =>
          createLinksRouters({ links, authenticator, rateLimiter, settings: settings.http, logger }),
        [LinkUseCase, Authenticator, RateLimiter, Logger],
      )
      .inSingletonScope();
  });
}

/** The links repository on an open typeorm data source (see `urlShortenerSqlSchema`). */
export function urlShortenerTypeormRepositoryModule(dataSource: DataSource): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<LinkRepository>(LinkRepository).toConstantValue(new TypeormLinkRepository(dataSource));
  });
}
