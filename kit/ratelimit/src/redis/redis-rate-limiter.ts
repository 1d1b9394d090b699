import { Redis } from 'ioredis';
import type { Logger } from '@sd/domain/logger';
import type { RateLimitDecision, RateLimiter, RateLimitRule } from '@sd/domain/rate-limit';
import { checkRule } from '../gcra';

export interface RedisRateLimiterOptions {
  url: string;
  /** Prepended to every key, so apps (or test runs) sharing a Redis keep apart. */
  keyPrefix?: string;
  logger?: Logger;
}

/**
 * GCRA (see gcra.ts) in one Lua script, so a check-and-take is atomic across every instance
 * sharing the Redis. Time is the Redis server's (TIME), so instances with skewed clocks agree.
 * Replies: allowed (0|1), remaining, retry-after ms, reset ms.
 */
const GCRA_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local interval = window / limit
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local nextTat = tat + interval * cost
local allowAt = nextTat - window
if allowAt > now then
  local remaining = math.floor((window - (tat - now)) / interval)
  if remaining < 0 then remaining = 0 end
  return {0, remaining, math.ceil(allowAt - now), math.ceil(tat - now)}
end
redis.call('SET', KEYS[1], string.format('%.3f', nextTat), 'PX', math.ceil(nextTat - now))
return {1, math.floor((window - (nextTat - now)) / interval), 0, math.ceil(nextTat - now)}
`;

type GcraReply = [number, number, number, number];

export class RedisRateLimiter implements RateLimiter {
  private readonly redis: Redis & { sdGcra(key: string, windowMs: number, limit: number, cost: number): Promise<GcraReply> };

  constructor(options: RedisRateLimiterOptions) {
    const redis = new Redis(options.url, {
      keyPrefix: options.keyPrefix,
      lazyConnect: true, // connects on the first command, not in the constructor
      maxRetriesPerRequest: 2,
      connectionName: 'sd-ratelimit',
    });
    redis.defineCommand('sdGcra', { numberOfKeys: 1, lua: GCRA_SCRIPT });
    redis.on('error', (error: Error) => options.logger?.warn({ err: error.message }, 'redis rate limiter connection error'));
    this.redis = redis as RedisRateLimiter['redis'];
  }

  async consume(key: string, rule: RateLimitRule, cost = 1): Promise<RateLimitDecision> {
    checkRule(rule, cost);
    const [allowed, remaining, retryAfterMs, resetMs] = await this.redis.sdGcra(key, rule.windowMs, rule.limit, cost);
    return { allowed: allowed === 1, limit: rule.limit, remaining, retryAfterMs, resetMs };
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(key);
  }

  /** Resolves when Redis answers PING (readiness). */
  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    if (this.redis.status === 'ready') await this.redis.quit();
    else this.redis.disconnect();
  }
}
