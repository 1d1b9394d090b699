import { describeCacheContract } from '../testing/cache-contract';
import { MemoryCache } from './memory-cache';

// One process: every "instance" of the contract shares the same memory cache.
let shared: MemoryCache;
beforeEach(() => (shared = new MemoryCache()));
describeCacheContract('memory', async () => shared);

describe('MemoryCache bounds', () => {
  it('sweeps expired entries first, then drops the oldest, when full', async () => {
    let now = 1_000;
    const cache = new MemoryCache({ maxEntries: 3, now: () => now });
    await cache.set('expiring', '1', { ttlMs: 10 });
    await cache.set('old', '2');
    await cache.set('newer', '3');
    now += 20;
    await cache.set('fourth', '4'); // room made by the expired entry
    expect(await cache.get('old')).toBe('2');
    await cache.set('fifth', '5'); // nothing expired: the oldest goes
    expect(await cache.get('old')).toBeNull();
    expect([await cache.get('newer'), await cache.get('fourth'), await cache.get('fifth')]).toEqual(['3', '4', '5']);
  });
});
