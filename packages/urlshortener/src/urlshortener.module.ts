import type { Router } from 'express';
import { ContainerModule } from 'inversify';
import type { DataSource } from 'typeorm';
import { Authenticator } from '@sd/domain/auth/authenticator';
import { Cache } from '@sd/domain/cache';
import { Logger } from '@sd/domain/logger';
import { RateLimiter } from '@sd/domain/rate-limit';
import { LinkRepository } from '@sd/domain/urlshortener/link';
import { createLinksRouters, type LinksHttpSettings } from './delivery/http/links.router';
import { TypeormLinkRepository } from './repository/typeorm/link.typeorm-repo';
import { HitCounter } from './usecase/hit-counter';
import { LinkUseCase, type LinkSettings } from './usecase/link.usecase';

/** `{ api, redirects }` routers (see `createLinksRouters`) for an app to mount. */
export const LinksRouters = Symbol.for('sd.urlshortener.LinksRouters');

export interface UrlShortenerSettings {
  links: LinkSettings;
  http: LinksHttpSettings;
  /** How often counted redirects are written to the store. */
  hitFlushIntervalMs: number;
}

/**
 * The link use case, its hit counter and the routers. Needs `LinkRepository`, `Cache`,
 * `RateLimiter`, `Authenticator` and `Logger` bound. The app closes `HitCounter` (a final
 * flush) before it closes the database.
 */
export function urlShortenerModule(settings: UrlShortenerSettings, options: { clock?: () => number } = {}): ContainerModule {
  const clock = options.clock ?? Date.now;
  return new ContainerModule(({ bind }) => {
    bind(HitCounter)
      .toResolvedValue((links: LinkRepository, logger: Logger) => new HitCounter(links, settings.hitFlushIntervalMs, logger.child({ component: 'links' })), [LinkRepository, Logger])
      .inSingletonScope();
    bind(LinkUseCase)
      .toResolvedValue(
        (links: LinkRepository, cache: Cache, hits: HitCounter, logger: Logger) =>
          new LinkUseCase(links, cache, hits, settings.links, clock, logger.child({ component: 'links' })),
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
