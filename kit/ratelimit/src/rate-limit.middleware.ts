import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from '@sd/domain/logger';
import { rateLimitExceeded, type RateLimiter, type RateLimitRule } from '@sd/domain/rate-limit';

export interface RateLimitOptions {
  /** Namespace of the buckets, e.g. `ip` or `user`; part of every key. */
  name: string;
  rule: RateLimitRule;
  /** The bucket a request counts against; undefined lets it through uncounted. */
  key: (req: Request, res: Response) => string | undefined;
  /** Where a limiter failure is reported; the request then goes through (fail open). */
  logger?: Logger;
}

/**
 * Counts one request against a bucket and writes the RateLimit-* headers into `headers`, also
 * when it then throws because the bucket is exhausted (a 429 shows them too).
 */
export type RateLimitCheck = (key: string, headers: Record<string, string>) => Promise<void>;

/**
 * Counts a request against `${name}:${key}` and sets `RateLimit-Limit`, `RateLimit-Remaining`
 * and `RateLimit-Reset`; an exhausted bucket throws the domain's `RATE_LIMIT.EXCEEDED`, which
 * kit/http answers as 429 with Retry-After. If the limiter itself fails (Redis down), the
 * request is let through and the failure logged: a rate limit protects capacity, it must not
 * become the outage.
 */
export function rateLimitCheck(limiter: RateLimiter, options: Omit<RateLimitOptions, 'key'>): RateLimitCheck {
  return async (key, headers) => {
    let decision;
    try {
      decision = await limiter.consume(`${options.name}:${key}`, options.rule);
    } catch (error) {
      options.logger?.error({ err: error, limit: options.name }, 'rate limiter unavailable; request let through');
      return;
    }
    headers['RateLimit-Limit'] = String(decision.limit);
    headers['RateLimit-Remaining'] = String(decision.remaining);
    headers['RateLimit-Reset'] = String(Math.ceil(decision.resetMs / 1000));
    if (!decision.allowed) throw rateLimitExceeded(decision);
  };
}

/** Express middleware over `rateLimitCheck`; a request whose `key` is undefined goes through uncounted. */
export function rateLimit(limiter: RateLimiter, options: RateLimitOptions): RequestHandler {
  const check = rateLimitCheck(limiter, options);
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const key = options.key(req, res);
    if (key === undefined) return next();
    const headers: Record<string, string> = {};
    try {
      await check(key, headers);
    } finally {
      res.set(headers);
    }
    next();
  };
}
