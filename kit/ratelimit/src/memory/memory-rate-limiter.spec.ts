import { describeRateLimiterContract } from '../testing/rate-limiter-contract';
import { MemoryRateLimiter } from './memory-rate-limiter';

// One process: every "instance" of the contract shares the same memory limiter.
let shared: MemoryRateLimiter;
beforeEach(() => (shared = new MemoryRateLimiter()));
describeRateLimiterContract('memory', async () => shared);

describe('MemoryRateLimiter', () => {
  it('refills continuously at limit per window', async () => {
    let now = 0;
    const limiter = new MemoryRateLimiter({ now: () => now });
    const rule = { limit: 4, windowMs: 1_000 };
    for (let i = 0; i < 4; i++) expect((await limiter.consume('k', rule)).allowed).toBe(true);
    expect(await limiter.consume('k', rule)).toMatchObject({ allowed: false, retryAfterMs: 250 });
    now = 249;
    expect((await limiter.consume('k', rule)).allowed).toBe(false);
    now = 250;
    expect((await limiter.consume('k', rule)).allowed).toBe(true);
    expect((await limiter.consume('k', rule)).allowed).toBe(false);
  });

  it('stays bounded, dropping full buckets first', async () => {
    let now = 0;
    const limiter = new MemoryRateLimiter({ now: () => now, maxBuckets: 2 });
    const rule = { limit: 1, windowMs: 1_000 };
    await limiter.consume('a', rule);
    now = 2_000;
    await limiter.consume('b', rule);
    await limiter.consume('c', rule); // `a` refilled long ago: swept
    expect((await limiter.consume('b', rule)).allowed).toBe(false);
    expect((await limiter.consume('a', rule)).allowed).toBe(true);
  });
});
