import { DomainError } from './errors';

/**
 * Rate limiter port: a token bucket per key (GCRA), `limit` requests per `windowMs` with the
 * capacity refilling continuously. Backed by Redis, the count is shared by every instance.
 * Adapters in kit/ratelimit: memory and Redis, bound by `@sd/ratelimit/ratelimit.module`; both
 * pass the contract suite in kit/ratelimit/src/testing/rate-limiter-contract.ts.
 */
export interface RateLimiter {
  /**
   * Takes `cost` (default 1) from the bucket `key` under `rule`, atomically. A refused call
   * takes nothing, so a client that waits `retryAfterMs` gets through.
   */
  consume(key: string, rule: RateLimitRule, cost?: number): Promise<RateLimitDecision>;
  /** Forgets the bucket `key`. */
  reset(key: string): Promise<void>;
  close(): Promise<void>;
}

export const RateLimiter = Symbol.for('sd.RateLimiter');

export interface RateLimitRule {
  /** Requests allowed at once (the burst), a positive integer. */
  limit: number;
  /** Time in which a spent burst refills completely, in milliseconds. */
  windowMs: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  /** Requests that would still be allowed right now. */
  remaining: number;
  /** 0 when allowed; otherwise how long until this request would be allowed. */
  retryAfterMs: number;
  /** How long until the bucket is full again. */
  resetMs: number;
}

/** The error a delivery adapter throws for a refused request (HTTP: 429 with Retry-After). */
export const rateLimitExceeded = (decision: Pick<RateLimitDecision, 'retryAfterMs'>): DomainError =>
  new DomainError('RATE_LIMIT.EXCEEDED', 'rate_limited', 'too many requests, slow down', {
    details: { retryAfterSeconds: Math.max(1, Math.ceil(decision.retryAfterMs / 1000)) },
  });
