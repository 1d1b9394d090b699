import { Container } from 'inversify';
import { Cache } from '@sd/domain/cache';
import { HealthCheck } from '@sd/domain/health';
import { Logger } from '@sd/domain/logger';
import { silentLogger } from '@sd/logging/logger';
import { cacheModule, type CacheConfig } from './cache.module';
import { MemoryCache } from './memory/memory-cache';
import { RedisCache } from './redis/redis-cache';

function containerFor(config: CacheConfig): Container {
  const container = new Container();
  container.bind(Logger).toConstantValue(silentLogger);
  container.load(cacheModule(config));
  return container;
}

describe('cacheModule', () => {
  it('binds the adapter the config names, once per container', async () => {
    const memory = containerFor({ kind: 'memory' });
    expect(memory.get(Cache)).toBeInstanceOf(MemoryCache);
    expect(memory.get(Cache)).toBe(memory.get(Cache));
    const redis = containerFor({ kind: 'redis', url: 'redis://127.0.0.1:1', keyPrefix: 't:' });
    const cache = redis.get<Cache>(Cache);
    expect(cache).toBeInstanceOf(RedisCache);
    await redis.unbindAllAsync();
  });

  it('adds a redis:cache health check that fails while Redis does not answer; memory needs none', async () => {
    expect(containerFor({ kind: 'memory' }).getAll(HealthCheck, { optional: true })).toEqual([]);
    const redis = containerFor({ kind: 'redis', url: 'redis://127.0.0.1:1', keyPrefix: 't:' });
    const [check, ...others] = redis.getAll<HealthCheck>(HealthCheck);
    expect([check?.name, others]).toEqual(['redis:cache', []]);
    await expect(check!.check()).rejects.toThrow();
    await redis.unbindAllAsync();
  });

  it('closes the cache when the container is torn down', async () => {
    const container = containerFor({ kind: 'memory' });
    const close = jest.spyOn(container.get<Cache>(Cache), 'close');
    await container.unbindAllAsync();
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('refuses an unknown kind at start-up', () => {
    expect(() => containerFor({ kind: 'memcached' } as unknown as CacheConfig)).toThrow('unknown cache kind: memcached');
  });
});
