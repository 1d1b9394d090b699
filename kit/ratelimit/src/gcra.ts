import type { RateLimitDecision, RateLimitRule } from '@sd/domain/rate-limit';

/**
 * Generic cell rate algorithm: a token bucket stored as one number, the theoretical arrival
 * time (TAT). Each request moves it `cost * interval` forward, where interval = window / limit;
 * a request is refused when that would put the TAT more than one window ahead of now.
 * The Redis adapter runs the same arithmetic in Lua (see redis-rate-limiter.ts).
 */
export function gcra(rule: RateLimitRule, cost: number, now: number, storedTat: number): { decision: RateLimitDecision; nextTat?: number } {
  checkRule(rule, cost);
  const interval = rule.windowMs / rule.limit;
  const tat = Math.max(storedTat, now);
  const nextTat = tat + interval * cost;
  const allowAt = nextTat - rule.windowMs;
  if (allowAt > now) {
    return {
      decision: {
        allowed: false,
        limit: rule.limit,
        remaining: Math.max(0, Math.floor((rule.windowMs - (tat - now)) / interval)),
        retryAfterMs: Math.ceil(allowAt - now),
        resetMs: Math.ceil(tat - now),
      },
    };
  }
  return {
    decision: {
      allowed: true,
      limit: rule.limit,
      remaining: Math.floor((rule.windowMs - (nextTat - now)) / interval),
      retryAfterMs: 0,
      resetMs: Math.ceil(nextTat - now),
    },
    nextTat,
  };
}

export function checkRule(rule: RateLimitRule, cost: number): void {
  if (!Number.isSafeInteger(rule.limit) || rule.limit <= 0) throw new RangeError(`rate limit must be a positive integer, not ${rule.limit}`);
  if (!Number.isSafeInteger(rule.windowMs) || rule.windowMs <= 0) {
    throw new RangeError(`rate limit windowMs must be a positive integer, not ${rule.windowMs}`);
  }
  if (!Number.isSafeInteger(cost) || cost <= 0 || cost > rule.limit) {
    throw new RangeError(`rate limit cost must be an integer in 1..${rule.limit}, not ${cost}`);
  }
}
