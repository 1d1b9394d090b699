import { Router, type Request, type Response } from 'express';
import { authenticate, principalOf } from '@sd/http/authenticate';
import type { Authenticator } from '@sd/domain/auth/authenticator';
import type { Logger } from '@sd/domain/logger';
import type { RateLimiter, RateLimitRule } from '@sd/domain/rate-limit';
import type { ShortLink } from '@sd/domain/urlshortener/link';
import { rateLimit } from '@sd/ratelimit/rate-limit.middleware';
import type { LinkUseCase } from '../../usecase/link.usecase';

export interface LinksHttpSettings {
  /**
   * 302 by default: browsers cache a 301 for good, so later visits would skip the app, its hit
   * count, a delete and an expiry. 301 suits links that never change and need no counting.
   */
  redirectStatus: 301 | 302;
  /** Link creations allowed per user and per client IP. */
  createPerUser: RateLimitRule;
  createPerIp: RateLimitRule;
  /** Base of `short_url`; default: the scheme and host the request came to. */
  publicUrl?: string;
}

export interface LinksRouterDeps {
  links: LinkUseCase;
  authenticator: Authenticator;
  rateLimiter: RateLimiter;
  settings: LinksHttpSettings;
  logger: Logger;
}

/** `api`: the owner's links under `/api/links`. `redirects`: `GET /:alias`, mounted last at the root. */
export function createLinksRouters({ links, authenticator, rateLimiter, settings, logger }: LinksRouterDeps): { api: Router; redirects: Router } {
  const api = Router();
  const auth = authenticate(authenticator);
  api.post(
    '/links',
    auth,
    rateLimit(rateLimiter, { name: 'links-create-ip', rule: settings.createPerIp, key: (req) => req.ip, logger }),
    rateLimit(rateLimiter, { name: 'links-create-user', rule: settings.createPerUser, key: (_req, res) => principalOf(res).userId, logger }),
    async (req: Request, res: Response) => {
      const body = (typeof req.body === 'object' && req.body !== null && !Array.isArray(req.body) ? req.body : {}) as Record<string, unknown>;
      const link = await links.create(principalOf(res).userId, { url: body.url, alias: body.alias, expiresAt: body.expires_at });
      res.status(201).json(view(link, baseUrl(req, settings)));
    },
  );
  api.get('/links', auth, async (req: Request, res: Response) => {
    const base = baseUrl(req, settings);
    res.json((await links.list(principalOf(res).userId)).map((link) => view(link, base)));
  });
  api.delete('/links/:alias', auth, async (req: Request<{ alias: string }>, res: Response) => {
    await links.delete(principalOf(res).userId, req.params.alias);
    res.status(204).end();
  });

  const redirects = Router();
  redirects.get('/:alias', async (req: Request<{ alias: string }>, res: Response) => {
    const target = await links.resolve(req.params.alias);
    if (settings.redirectStatus === 302) res.setHeader('cache-control', 'private, no-store');
    res.redirect(settings.redirectStatus, target);
  });
  return { api, redirects };
}

function baseUrl(req: Request, settings: LinksHttpSettings): string {
  return settings.publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

function view(link: ShortLink, base: string): Record<string, unknown> {
  return {
    alias: link.alias,
    short_url: `${base}/${encodeURIComponent(link.alias)}`,
    url: link.target,
    created_at: new Date(link.createdAt).toISOString(),
    expires_at: link.expiresAt === null ? null : new Date(link.expiresAt).toISOString(),
    hits: link.hits,
  };
}
