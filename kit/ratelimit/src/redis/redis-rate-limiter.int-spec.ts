import { randomUUID } from 'node:crypto';
import { serviceUrl } from '@sd/testing/services';
import { describeRateLimiterContract } from '../testing/rate-limiter-contract';
import { RedisRateLimiter } from './redis-rate-limiter';

const keyPrefix = `test:ratelimit:${randomUUID()}:`;

describeRateLimiterContract('redis', async () => new RedisRateLimiter({ url: serviceUrl('redis'), keyPrefix }));
