import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from '@sd/domain/logger';
import type { RateLimiter, RateLimitRule } from '@sd/domain/rate-limit';
import { rateLimit } from '@sd/ratelimit/rate-limit.middleware';
import { principalOf } from '@sd/http/authenticate';

/** Per client IP (`req.ip`: behind a loopback proxy, its X-Forwarded-For). */
export function limitPerIp(limiter: RateLimiter, rule: RateLimitRule, options: { name?: string; logger?: Logger } = {}): RequestHandler {
  return rateLimit(limiter, {
    name: options.name ?? 'ip',
    rule,
    key: (req: Request) => req.ip ?? req.socket.remoteAddress ?? 'unknown',
    logger: options.logger,
  });
}

/** Per user; mount after `authenticate`. API keys and sessions of one user share the bucket. */
export function limitPerUser(limiter: RateLimiter, rule: RateLimitRule, options: { name?: string; logger?: Logger } = {}): RequestHandler {
  return rateLimit(limiter, {
    name: options.name ?? 'user',
    rule,
    key: (_req: Request, res: Response) => principalOf(res).userId,
    logger: options.logger,
  });
}
