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
 * Express middleware: counts the request against its bucket, sets `RateLimit-Limit`,
 * `RateLimit-Remaining` and `RateLimit-Reset`, and refuses an exhausted bucket with the
 * domain's `RATE_LIMIT.EXCEEDED`, which kit/http answers as 429 with Retry-After.
 * If the limiter itself fails (Redis down), the request is let through and the failure logged:
 * a rate limit protects capacity, it must not become the outage.
 */
export function rateLimit(limiter: RateLimiter, options: RateLimitOptions): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const key = options.key(req, res);
    if (key === undefined) return next();
    let decision;
    try {
      decision = await limiter.consume(`${options.name}:${key}`, options.rule);
    } catch (error) {
      options.logger?.error({ err: error, limit: options.name }, 'rate limiter unavailable; request let through');
      return next();
    }
    res.setHeader('RateLimit-Limit', String(decision.limit));
    res.setHeader('RateLimit-Remaining', String(decision.remaining));
    res.setHeader('RateLimit-Reset', String(Math.ceil(decision.resetMs / 1000)));
    if (!decision.allowed) throw rateLimitExceeded(decision);
    next();
  };
}
