import { randomUUID } from 'node:crypto';
import type { Cache } from '@sd/domain/cache';

/**
 * The behaviour every Cache adapter must have. `openCache` is called once per simulated
 * process: adapters backed by a server hand out separate connections to the same store.
 * Keys are random, so suites can share a server.
 */
export function describeCacheContract(adapter: string, openCache: () => Promise<Cache>): void {
  describe(`Cache contract: ${adapter}`, () => {
    const opened: Cache[] = [];
    const open = async (): Promise<Cache> => {
      const cache = await openCache();
      opened.push(cache);
      return cache;
    };
    const key = (): string => `contract:${randomUUID()}`;

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((cache) => cache.close()));
    });

    it('returns what was set, and null for what was not', async () => {
      const cache = await open();
      const k = key();
      expect(await cache.get(k)).toBeNull();
      await cache.set(k, 'first');
      expect(await cache.get(k)).toBe('first');
      await cache.set(k, 'second ✓');
      expect(await cache.get(k)).toBe('second ✓');
    });

    it('forgets an entry after its ttl', async () => {
      const cache = await open();
      const [short, long] = [key(), key()];
      await cache.set(short, 'v', { ttlMs: 80 });
      await cache.set(long, 'v', { ttlMs: 60_000 });
      expect(await cache.get(short)).toBe('v');
      await sleep(200);
      expect(await cache.get(short)).toBeNull();
      expect(await cache.get(long)).toBe('v');
    });

    it('deletes, telling whether the key was there', async () => {
      const cache = await open();
      const k = key();
      await cache.set(k, 'v');
      expect(await cache.delete(k)).toBe(true);
      expect(await cache.get(k)).toBeNull();
      expect(await cache.delete(k)).toBe(false);
    });

    it('sets if absent only once, until the entry expires', async () => {
      const cache = await open();
      const k = key();
      expect(await cache.setIfAbsent(k, 'a', { ttlMs: 150 })).toBe(true);
      expect(await cache.setIfAbsent(k, 'b', { ttlMs: 150 })).toBe(false);
      expect(await cache.get(k)).toBe('a');
      await sleep(300);
      expect(await cache.setIfAbsent(k, 'c')).toBe(true);
      expect(await cache.get(k)).toBe('c');
    });

    it('lets exactly one of many concurrent setIfAbsent calls win, across instances', async () => {
      const [first, second] = await Promise.all([open(), open()]);
      const k = key();
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? first : second).setIfAbsent(k, `writer-${i}`, { ttlMs: 10_000 })),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = results.indexOf(true);
      expect(await second.get(k)).toBe(`writer-${winner}`);
      expect(await first.get(k)).toBe(`writer-${winner}`);
    });

    it('refuses a ttl that is not a positive integer of milliseconds', async () => {
      const cache = await open();
      await expect(cache.set(key(), 'v', { ttlMs: 0 })).rejects.toThrow('ttlMs');
      await expect(cache.setIfAbsent(key(), 'v', { ttlMs: 1.5 })).rejects.toThrow('ttlMs');
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
