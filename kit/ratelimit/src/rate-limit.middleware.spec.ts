import request from 'supertest';
import type { RateLimiter } from '@sd/domain/rate-limit';
import { createHttpApp } from '@sd/http/http-app';
import { silentLogger } from '@sd/logging/logger';
import { MemoryRateLimiter } from './memory/memory-rate-limiter';
import { rateLimit } from './rate-limit.middleware';

function appWith(limiter: RateLimiter) {
  return createHttpApp({
    logger: silentLogger,
    routes: (app) => {
      app.get(
        '/limited',
        rateLimit(limiter, { name: 'ip', rule: { limit: 2, windowMs: 10_000 }, key: (req) => req.get('x-client') }),
        (_req, res) => void res.json({ ok: true }),
      );
    },
  });
}

describe('rateLimit middleware', () => {
  it('answers 429 with Retry-After once the bucket is empty, per key', async () => {
    const app = appWith(new MemoryRateLimiter());
    const first = await request(app).get('/limited').set('x-client', 'a').expect(200);
    expect(first.headers['ratelimit-limit']).toBe('2');
    expect(first.headers['ratelimit-remaining']).toBe('1');
    await request(app).get('/limited').set('x-client', 'a').expect(200);
    const refused = await request(app).get('/limited').set('x-client', 'a').expect(429);
    expect(refused.body).toEqual({ message: 'too many requests, slow down', code: 'RATE_LIMIT.EXCEEDED' });
    expect(Number(refused.headers['retry-after'])).toBe(5);
    expect(refused.headers['ratelimit-remaining']).toBe('0');
    await request(app).get('/limited').set('x-client', 'b').expect(200);
    await request(app).get('/limited').expect(200); // no key: not counted
  });

  it('lets requests through when the limiter fails', async () => {
    const broken: RateLimiter = {
      consume: async () => {
        throw new Error('connection refused');
      },
      reset: async () => undefined,
      close: async () => undefined,
    };
    await request(appWith(broken)).get('/limited').set('x-client', 'a').expect(200);
  });
});
