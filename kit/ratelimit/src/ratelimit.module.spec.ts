import { Container } from 'inversify';
import { HealthCheck } from '@sd/domain/health';
import { Logger } from '@sd/domain/logger';
import { RateLimiter } from '@sd/domain/rate-limit';
import { silentLogger } from '@sd/logging/logger';
import { MemoryRateLimiter } from './memory/memory-rate-limiter';
import { rateLimitModule, type RateLimiterConfig } from './ratelimit.module';
import { RedisRateLimiter } from './redis/redis-rate-limiter';

function containerFor(config: RateLimiterConfig): Container {
  const container = new Container();
  container.bind(Logger).toConstantValue(silentLogger);
  container.load(rateLimitModule(config));
  return container;
}

describe('rateLimitModule', () => {
  it('binds the adapter the config names, once per container', async () => {
    const memory = containerFor({ kind: 'memory' });
    expect(memory.get(RateLimiter)).toBeInstanceOf(MemoryRateLimiter);
    expect(memory.get(RateLimiter)).toBe(memory.get(RateLimiter));
    const redis = containerFor({ kind: 'redis', url: 'redis://127.0.0.1:1' });
    expect(redis.get(RateLimiter)).toBeInstanceOf(RedisRateLimiter);
    await redis.unbindAllAsync();
  });

  it('adds a redis:ratelimit health check that fails while Redis does not answer; memory needs none', async () => {
    expect(containerFor({ kind: 'memory' }).getAll(HealthCheck, { optional: true })).toEqual([]);
    const redis = containerFor({ kind: 'redis', url: 'redis://127.0.0.1:1' });
    const [check, ...others] = redis.getAll<HealthCheck>(HealthCheck);
    expect([check?.name, others]).toEqual(['redis:ratelimit', []]);
    await expect(check!.check()).rejects.toThrow();
    await redis.unbindAllAsync();
  });

  it('closes the limiter when the container is torn down', async () => {
    const container = containerFor({ kind: 'memory' });
    const close = jest.spyOn(container.get<RateLimiter>(RateLimiter), 'close');
    await container.unbindAllAsync();
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('refuses an unknown kind at start-up', () => {
    expect(() => containerFor({ kind: 'leaky' } as unknown as RateLimiterConfig)).toThrow('unknown rate limiter kind: leaky');
  });
});
