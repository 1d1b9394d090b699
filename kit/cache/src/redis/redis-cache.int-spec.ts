import { randomUUID } from 'node:crypto';
import { serviceUrl } from '@sd/testing/services';
import { describeCacheContract } from '../testing/cache-contract';
import { RedisCache } from './redis-cache';

const keyPrefix = `test:cache:${randomUUID()}:`;

describeCacheContract('redis', async () => new RedisCache({ url: serviceUrl('redis'), keyPrefix }));

describe('RedisCache', () => {
  it('keeps its keys under its prefix', async () => {
    const prefixed = new RedisCache({ url: serviceUrl('redis'), keyPrefix });
    const bare = new RedisCache({ url: serviceUrl('redis') });
    await prefixed.set('k', 'v', { ttlMs: 10_000 });
    expect(await bare.get(`${keyPrefix}k`)).toBe('v');
    expect(await bare.get('k')).not.toBe('v');
    await Promise.all([prefixed.close(), bare.close()]);
  });

  it('answers a ping while Redis runs', async () => {
    const cache = new RedisCache({ url: serviceUrl('redis'), keyPrefix });
    await expect(cache.ping()).resolves.toBeUndefined();
    await cache.close();
  });
});
