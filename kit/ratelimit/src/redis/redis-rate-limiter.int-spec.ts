import { randomUUID } from 'node:crypto';
import { serviceUrl } from '@sd/testing/services';
import { describeRateLimiterContract } from '../testing/rate-limiter-contract';
import { RedisRateLimiter } from './redis-rate-limiter';

const keyPrefix = `test:ratelimit:${randomUUID()}:`;

describeRateLimiterContract('redis', async () => new RedisRateLimiter({ url: serviceUrl('redis'), keyPrefix }));

describe('RedisRateLimiter', () => {
  it('answers a ping while Redis runs', async () => {
    const limiter = new RedisRateLimiter({ url: serviceUrl('redis'), keyPrefix });
    await expect(limiter.ping()).resolves.toBeUndefined();
    await limiter.close();
  });
});
