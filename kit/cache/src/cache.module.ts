import { ContainerModule } from 'inversify';
import { Cache } from '@sd/domain/cache';
import { HealthCheck } from '@sd/domain/health';
import { Logger } from '@sd/domain/logger';
import { MemoryCache } from './memory/memory-cache';
import { RedisCache } from './redis/redis-cache';

export type CacheConfig = { kind: 'memory'; maxEntries?: number } | { kind: 'redis'; url: string; keyPrefix?: string };

/**
 * Binds `Cache` to the adapter the config names; the container closes it on unbind. Redis
 * also adds the `redis:cache` health check.
 */
export function cacheModule(config: CacheConfig): ContainerModule {
  return new ContainerModule(({ bind }) => {
    const binding = bind<Cache>(Cache);
    switch (config.kind) {
      case 'memory':
        binding
          .toResolvedValue(() => new MemoryCache({ maxEntries: config.maxEntries }))
          .inSingletonScope()
          .onDeactivation((cache) => cache.close());
        return;
      case 'redis':
        binding
          .toResolvedValue((logger: Logger) => new RedisCache({ url: config.url, keyPrefix: config.keyPrefix, logger }), [Logger])
          .inSingletonScope()
          .onDeactivation((cache) => cache.close());
        bind<HealthCheck>(HealthCheck).toResolvedValue((cache: RedisCache) => ({ name: 'redis:cache', check: () => cache.ping() }), [Cache]);
        return;
      default:
        throw new Error(`unknown cache kind: ${(config as { kind: string }).kind}`);
    }
  });
}
