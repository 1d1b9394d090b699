import { randomUUID } from 'node:crypto';
import type { RateLimiter } from '@sd/domain/rate-limit';

/**
 * The behaviour every RateLimiter adapter must have. `openLimiter` is called once per
 * simulated process: server-backed adapters hand out separate connections to one store.
 * Keys are random, so suites can share a server. Windows are short and real time passes.
 */
export function describeRateLimiterContract(adapter: string, openLimiter: () => Promise<RateLimiter>): void {
  describe(`RateLimiter contract: ${adapter}`, () => {
    const opened: RateLimiter[] = [];
    const open = async (): Promise<RateLimiter> => {
      const limiter = await openLimiter();
      opened.push(limiter);
      return limiter;
    };
    const key = (): string => `contract:${randomUUID()}`;

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((limiter) => limiter.close()));
    });

    it('allows the limit, then refuses with a retry delay within the window', async () => {
      const limiter = await open();
      const k = key();
      const rule = { limit: 5, windowMs: 60_000 };
      const decisions = [];
      for (let i = 0; i < 7; i++) decisions.push(await limiter.consume(k, rule));
      expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, true, false, false]);
      expect(decisions.slice(0, 5).map((d) => d.remaining)).toEqual([4, 3, 2, 1, 0]);
      const refused = decisions[5]!;
      expect(refused.remaining).toBe(0);
      // One request refills every window / limit = 12 s.
      expect(refused.retryAfterMs).toBeGreaterThan(11_000);
      expect(refused.retryAfterMs).toBeLessThanOrEqual(12_000);
      expect(refused.resetMs).toBeGreaterThan(59_000);
      expect(refused.resetMs).toBeLessThanOrEqual(60_000);
    });

    it('keeps keys apart', async () => {
      const limiter = await open();
      const [a, b] = [key(), key()];
      const rule = { limit: 1, windowMs: 60_000 };
      expect((await limiter.consume(a, rule)).allowed).toBe(true);
      expect((await limiter.consume(a, rule)).allowed).toBe(false);
      expect((await limiter.consume(b, rule)).allowed).toBe(true);
    });

    it('lets a refused client through once it waited the retry delay, and refills fully', async () => {
      const limiter = await open();
      const k = key();
      const rule = { limit: 2, windowMs: 300 };
      await limiter.consume(k, rule);
      await limiter.consume(k, rule);
      const refused = await limiter.consume(k, rule);
      expect(refused.allowed).toBe(false);
      await sleep(refused.retryAfterMs + 30);
      expect((await limiter.consume(k, rule)).allowed).toBe(true);
      expect((await limiter.consume(k, rule)).allowed).toBe(false);
      await sleep(rule.windowMs + 50);
      const refilled = await limiter.consume(k, rule);
      expect(refilled).toMatchObject({ allowed: true, remaining: 1 });
    });

    it('takes nothing for a refused request and charges the cost', async () => {
      const limiter = await open();
      const k = key();
      const rule = { limit: 10, windowMs: 60_000 };
      expect(await limiter.consume(k, rule, 7)).toMatchObject({ allowed: true, remaining: 3 });
      expect((await limiter.consume(k, rule, 4)).allowed).toBe(false);
      expect(await limiter.consume(k, rule, 3)).toMatchObject({ allowed: true, remaining: 0 });
    });

    it('holds the limit exactly under concurrent calls from two instances', async () => {
      const [first, second] = await Promise.all([open(), open()]);
      const k = key();
      const rule = { limit: 20, windowMs: 60_000 };
      const decisions = await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? first : second).consume(k, rule)));
      expect(decisions.filter((d) => d.allowed)).toHaveLength(20);
    });

    it('forgets a key on reset', async () => {
      const limiter = await open();
      const k = key();
      const rule = { limit: 1, windowMs: 60_000 };
      await limiter.consume(k, rule);
      expect((await limiter.consume(k, rule)).allowed).toBe(false);
      await limiter.reset(k);
      expect((await limiter.consume(k, rule)).allowed).toBe(true);
    });

    it('refuses a nonsensical rule', async () => {
      const limiter = await open();
      await expect(limiter.consume(key(), { limit: 0, windowMs: 1000 })).rejects.toThrow('positive integer');
      await expect(limiter.consume(key(), { limit: 2, windowMs: 1000 }, 3)).rejects.toThrow('cost');
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
