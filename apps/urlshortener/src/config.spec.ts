import { resolve } from 'node:path';
import { configurationDrift } from '@sd/app/testing/env-reads';
import { urlShortenerConfigFromEnv } from './config';

describe('urlShortenerConfigFromEnv', () => {
  it('defaults to the embedded database, memory cache, 302 and random per-process keys', () => {
    const config = urlShortenerConfigFromEnv({});
    expect(config).toMatchObject({ sql: { kind: 'embedded' }, cache: { kind: 'memory' }, auth: { kind: 'embedded', keys: { kind: 'ephemeral' } }, http: { port: 8083 } });
    expect(config.links).toMatchObject({ redirectStatus: 302, createPerUser: { limit: 30, windowMs: 60_000 }, hitFlushIntervalMs: 1000 });
  });

  it('reads PostgreSQL, Redis, shared keys and 301', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const config = urlShortenerConfigFromEnv({
      SQL: 'postgres', DATABASE_URL: 'postgres://db/x', CACHE: 'redis', REDIS_URL: 'redis://r:6379',
      AUTH_TOKEN_SECRET: key, AUTH_ENCRYPTION_KEY: key, REDIRECT_STATUS: '301', PUBLIC_URL: 'https://sho.rt',
    });
    expect(config).toMatchObject({
      sql: { kind: 'postgres', url: 'postgres://db/x' },
      cache: { kind: 'redis', url: 'redis://r:6379' },
      rateLimiter: { kind: 'redis', url: 'redis://r:6379' },
      auth: { kind: 'embedded', keys: { kind: 'configured' } },
      links: { redirectStatus: 301, publicUrl: 'https://sho.rt' },
    });
  });

  it('asks the user app with AUTH=remote, needing no keys of its own', () => {
    expect(urlShortenerConfigFromEnv({ AUTH: 'remote', AUTH_URL: 'http://user:8081', SQL: 'postgres', DATABASE_URL: 'postgres://db/x' }).auth).toEqual({
      kind: 'remote',
      url: 'http://user:8081',
      timeoutMs: 2000,
      cacheTtlMs: 5000,
    });
    expect(urlShortenerConfigFromEnv({ AUTH: 'remote', AUTH_URL: 'http://user:8081/', AUTH_TIMEOUT_MS: '500', AUTH_CACHE_TTL_MS: '0' }).auth).toMatchObject({ url: 'http://user:8081', timeoutMs: 500, cacheTtlMs: 0 });
  });

  it.each([
    [{ SQL: 'mysql' }, 'SQL must be one of embedded, postgres, not mysql'],
    [{ SQL: 'postgres' }, 'DATABASE_URL is required with SQL=postgres'],
    [{ SQL: 'postgres', DATABASE_URL: 'postgres://db/x' }, 'AUTH_TOKEN_SECRET and AUTH_ENCRYPTION_KEY are required with SQL=postgres'],
    [{ CACHE: 'redis' }, 'REDIS_URL is required with CACHE=redis'],
    [{ REDIRECT_STATUS: '307' }, 'REDIRECT_STATUS must be one of 301, 302, not 307'],
    [{ PUBLIC_URL: 'https://sho.rt/x' }, 'PUBLIC_URL must be a scheme and host without a path'],
    [{ LINKS_PER_MINUTE_PER_USER: '0' }, 'LINKS_PER_MINUTE_PER_USER must be an integer in 1..'],
    [{ PORT: '70000' }, 'PORT must be an integer in 0..65535, not 70000'],
    [{ AUTH_TOKEN_SECRET: 'abc=' }, 'set both AUTH_TOKEN_SECRET and AUTH_ENCRYPTION_KEY, or neither'],
    [{ AUTH: 'ldap' }, 'AUTH must be one of embedded, remote, not ldap'],
    [{ AUTH: 'remote' }, 'AUTH_URL is required with AUTH=remote'],
    [{ AUTH: 'remote', AUTH_URL: 'user:8081' }, 'AUTH_URL must be a scheme and host'],
    [{ AUTH: 'remote', AUTH_URL: 'http://user:8081', AUTH_TIMEOUT_MS: '0' }, 'AUTH_TIMEOUT_MS must be an integer in 1..60000'],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => urlShortenerConfigFromEnv(env)).toThrow(message);
  });
});

describe('docs/configuration.md', () => {
  it('lists every variable urlShortenerConfigFromEnv reads, through every function it calls, and no other', () => {
    const root = resolve(__dirname, '../../..');
    expect(configurationDrift({ root, appDir: 'apps/urlshortener', reader: 'urlShortenerConfigFromEnv' })).toEqual({ undocumented: [], stale: [], unresolved: [] });
  }, 60_000);
});
