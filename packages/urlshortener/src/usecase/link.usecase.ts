import { randomBytes } from 'node:crypto';
import type { Cache } from '@sd/domain/cache';
import type { Logger } from '@sd/domain/logger';
import { linkErrors } from '@sd/domain/urlshortener/errors';
import type { LinkRepository, ShortLink } from '@sd/domain/urlshortener/link';
import type { HitCounter } from './hit-counter';

export interface LinkSettings {
  /** Length of a random alias (base62): 7 characters give 62^7 ≈ 3.5e12 aliases. */
  randomAliasLength: number;
  /** Longest accepted target URL. */
  maxTargetLength: number;
  /** How long a resolved link stays in the cache (shorter when it expires sooner). */
  cacheTtlMs: number;
  /** Most links a list returns. */
  listLimit: number;
}

export const defaultLinkSettings: LinkSettings = { randomAliasLength: 7, maxTargetLength: 2048, cacheTtlMs: 300_000, listLimit: 1_000 };

export interface CreateLinkInput {
  url: unknown;
  alias?: unknown;
  expiresAt?: unknown;
}

/** Words a custom alias may not take: they are the app's own paths. */
const RESERVED = new Set(['api', 'metrics', 'health', 'favicon.ico']);
const ALIAS = /^[A-Za-z0-9_-]{3,64}$/;
const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Random aliases retried on collision before giving up (each try collides with odds links/62^7). */
const RANDOM_ATTEMPTS = 5;
/** Cached after a delete so a concurrent redirect cannot put the deleted link back in the cache. */
const TOMBSTONE = '-';

interface CachedLink {
  t: string;
  e: number | null;
}

export class LinkUseCase {
  constructor(
    private readonly links: LinkRepository,
    private readonly cache: Cache,
    private readonly hits: HitCounter,
    private readonly settings: LinkSettings,
    private readonly clock: () => number,
    private readonly logger: Logger,
  ) {}

  async create(ownerId: string, input: CreateLinkInput): Promise<ShortLink> {
    const target = this.validTarget(input.url);
    const now = this.clock();
    const expiresAt = validExpiry(input.expiresAt, now);
    const link = (alias: string): ShortLink => ({ alias, target, ownerId, createdAt: now, expiresAt, hits: 0 });
    if (input.alias !== undefined && input.alias !== null) {
      if (typeof input.alias !== 'string' || !ALIAS.test(input.alias) || RESERVED.has(input.alias.toLowerCase())) throw linkErrors.invalidAlias();
      if (!(await this.links.insert(link(input.alias)))) throw linkErrors.aliasTaken(input.alias);
      return this.created(link(input.alias));
    }
    for (let attempt = 0; attempt < RANDOM_ATTEMPTS; attempt++) {
      const candidate = link(randomAlias(this.settings.randomAliasLength));
      if (await this.links.insert(candidate)) return this.created(candidate);
      this.logger.warn({ attempt }, 'random alias collided; retrying');
    }
    throw new Error(`no free random alias after ${RANDOM_ATTEMPTS} attempts`);
  }

  /** The target of `alias`, counting the hit; 404 when unknown or deleted, 410 when expired. */
  async resolve(alias: string): Promise<string> {
    const key = cacheKey(alias);
    const cached = await this.cache.get(key);
    let link: CachedLink;
    if (cached === TOMBSTONE) throw linkErrors.notFound();
    if (cached !== null) link = JSON.parse(cached) as CachedLink;
    else {
      const stored = await this.links.findByAlias(alias);
      if (!stored) throw linkErrors.notFound();
      link = { t: stored.target, e: stored.expiresAt };
      const ttlMs = Math.min(this.settings.cacheTtlMs, (link.e ?? Infinity) - this.clock());
      // setIfAbsent: never overwrite a tombstone a concurrent delete just wrote.
      if (ttlMs >= 1) await this.cache.setIfAbsent(key, JSON.stringify(link), { ttlMs: Math.floor(ttlMs) });
    }
    if (link.e !== null && link.e <= this.clock()) throw linkErrors.expired();
    this.hits.record(alias);
    return link.t;
  }

  /** The owner's links, newest first, with the hits this instance has not yet flushed. */
  async list(ownerId: string): Promise<ShortLink[]> {
    const links = await this.links.listByOwner(ownerId, this.settings.listLimit);
    return links.map((link) => ({ ...link, hits: link.hits + this.hits.pendingFor(link.alias) }));
  }

  async delete(ownerId: string, alias: string): Promise<void> {
    if (!(await this.links.delete(alias, ownerId))) throw linkErrors.notFound();
    await this.cache.set(cacheKey(alias), TOMBSTONE, { ttlMs: this.settings.cacheTtlMs });
  }

  private async created(link: ShortLink): Promise<ShortLink> {
    await this.cache.delete(cacheKey(link.alias)); // a tombstone of an earlier link with this alias
    return link;
  }

  private validTarget(value: unknown): string {
    if (typeof value !== 'string' || value === '') throw linkErrors.invalidTarget('is required');
    if (value.length > this.settings.maxTargetLength) throw linkErrors.invalidTarget(`must be at most ${this.settings.maxTargetLength} characters`);
    // eslint-disable-next-line no-control-regex
    if (/[\s\x00-\x1f\x7f]/.test(value)) throw linkErrors.invalidTarget('must not contain spaces or control characters');
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw linkErrors.invalidTarget('must be an absolute http(s) URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw linkErrors.invalidTarget('must use http or https');
    if (url.hostname === '') throw linkErrors.invalidTarget('must name a host');
    if (url.username !== '' || url.password !== '') throw linkErrors.invalidTarget('must not carry credentials');
    if (url.href.length > this.settings.maxTargetLength) throw linkErrors.invalidTarget(`must be at most ${this.settings.maxTargetLength} characters`);
    return url.href;
  }
}

function validExpiry(value: unknown, now: number): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || !/^\d{4}-\d\d-\d\dT/.test(value)) throw linkErrors.invalidExpiry();
  const at = Date.parse(value);
  if (!Number.isFinite(at) || at <= now) throw linkErrors.invalidExpiry();
  return at;
}

/** Uniform base62: bytes at or above 248 (= 4 * 62) are dropped so no character is favoured. */
function randomAlias(length: number): string {
  let alias = '';
  while (alias.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && alias.length < length) alias += BASE62[byte % 62];
    }
  }
  return alias;
}

const cacheKey = (alias: string): string => `link:${alias}`;
