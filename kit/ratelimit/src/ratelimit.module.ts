import { ContainerModule } from 'inversify';
import { HealthCheck } from '@sd/domain/health';
import { Logger } from '@sd/domain/logger';
import { RateLimiter } from '@sd/domain/rate-limit';
import { MemoryRateLimiter } from './memory/memory-rate-limiter';
import { RedisRateLimiter } from './redis/redis-rate-limiter';

export type RateLimiterConfig = { kind: 'memory'; maxBuckets?: number } | { kind: 'redis'; url: string; keyPrefix?: string };

/**
 * Binds `RateLimiter` to the adapter the config names; the container closes it on unbind.
 * Redis also adds the `redis:ratelimit` health check.
 */
export function rateLimitModule(config: RateLimiterConfig): ContainerModule {
  return new ContainerModule(({ bind }) => {
    const binding = bind<RateLimiter>(RateLimiter);
    switch (config.kind) {
      case 'memory':
        binding
          .toResolvedValue(() => new MemoryRateLimiter({ maxBuckets: config.maxBuckets }))
          .inSingletonScope()
          .onDeactivation((limiter) => limiter.close());
        return;
      case 'redis':
        binding
          .toResolvedValue((logger: Logger) => new RedisRateLimiter({ url: config.url, keyPrefix: config.keyPrefix, logger }), [Logger])
          .inSingletonScope()
          .onDeactivation((limiter) => limiter.close());
        bind<HealthCheck>(HealthCheck).toResolvedValue((limiter: RedisRateLimiter) => ({ name: 'redis:ratelimit', check: () => limiter.ping() }), [RateLimiter]);
        return;
      default:
        throw new Error(`unknown rate limiter kind: ${(config as { kind: string }).kind}`);
    }
  });
}
