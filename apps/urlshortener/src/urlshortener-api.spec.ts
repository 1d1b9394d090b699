import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Application } from 'express';
import type { Container } from 'inversify';
import { closeAppContainer, type RunningApp } from '@sd/app/app-container';
import { serveTestUserApp } from '@sd/app-user/testing';
import { AuthClient } from '@sd/auth/testing';
import { HttpApp } from '@sd/http/http-app.module';
import { openSqlDatabase, SqlDatabase } from '@sd/orm/sql-database';
import { HitCounter, urlShortenerSqlSchema } from '@sd/urlshortener/module';
import { urlShortenerConfigFromEnv } from './config';
import { createUrlShortenerContainer } from './container';
import { testConfig, UrlApi } from './testing/url-api';

/**
 * The URL shortener built as main builds it, on its embedded default (sql.js + memory cache),
 * with the auth domain embedded, then asking a running user app (AUTH=remote).
 */
describe.each(['embedded', 'remote'] as const)('url shortener app (auth %s)', (auth) => {
  let userApp: RunningApp | undefined;
  let container: Container;
  const containers: Container[] = [];
  let api: UrlApi;
  let token: string;
  let clockMs: number;

  const start = async (overrides: Parameters<typeof testConfig>[0] = {}): Promise<UrlApi> => {
    const remote = userApp && { auth: { kind: 'remote' as const, url: userApp.url, timeoutMs: 2_000, cacheTtlMs: 5_000 } };
    container = await createUrlShortenerContainer(testConfig({ ...remote, ...overrides }), { clock: () => clockMs });
    containers.push(container);
    return new UrlApi(container.get<Application>(HttpApp));
  };
  /** A new user's access token: signed up on `client` itself, or on the user app. */
  const newToken = async (client: UrlApi = api): Promise<string> => (await (userApp ? new AuthClient(userApp.url, client.ip) : client).newUser()).accessToken;

  beforeAll(async () => {
    if (auth === 'remote') userApp = await serveTestUserApp();
  });
  afterAll(() => userApp?.close());
  beforeEach(async () => {
    clockMs = Date.now();
    api = await start();
    token = await newToken();
  });
  afterEach(() => Promise.all(containers.splice(0).map((c) => closeAppContainer(c))));

  it('creates a random alias and redirects to the target with 302, counting hits', async () => {
    const created = await api.create(token, { url: 'https://example.com/a?b=c#d' }).expect(201);
    expect(created.body).toEqual({
      alias: expect.stringMatching(/^[A-Za-z0-9]{7}$/),
      short_url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9]{7}$/),
      url: 'https://example.com/a?b=c#d',
      created_at: new Date(clockMs).toISOString(),
      expires_at: null,
      hits: 0,
    });
    for (let i = 0; i < 3; i++) {
      const redirect = await api.req('get', `/${created.body.alias}`).expect(302);
      expect(redirect.headers.location).toBe('https://example.com/a?b=c#d');
      expect(redirect.headers['cache-control']).toBe('private, no-store');
    }
    const listed = await api.req('get', '/api/links', token).expect(200);
    // supertest serves each request on a fresh port, so only the path of short_url is stable here.
    expect(listed.body).toEqual([{ ...created.body, short_url: expect.stringMatching(new RegExp(`/${created.body.alias}$`)), hits: 3 }]);
  });

  it('answers 301 when configured so', async () => {
    const permanent = await start({ links: { redirectStatus: 301 } });
    const owner = await newToken(permanent);
    const { body } = await permanent.create(owner, { url: 'http://example.org/' }).expect(201);
    expect((await permanent.req('get', `/${body.alias}`).expect(301)).headers.location).toBe('http://example.org/');
  });

  it('takes a custom alias once: 409 for the second claim, which changes nothing', async () => {
    await api.create(token, { url: 'https://one.example/', alias: 'my-link_1' }).expect(201);
    const other = await newToken();
    const taken = await api.create(other, { url: 'https://two.example/', alias: 'my-link_1' }).expect(409);
    expect(taken.body).toEqual({ code: 'LINK.ALIAS_TAKEN', message: 'alias my-link_1 is taken' });
    expect((await api.req('get', '/my-link_1').expect(302)).headers.location).toBe('https://one.example/');
    await api.req('get', '/api/links', other).expect(200, []);
  });

  it.each([
    ['javascript:', { url: 'javascript:alert(1)' }, 'LINK.INVALID_TARGET'],
    ['data:', { url: 'data:text/html,<script>alert(1)</script>' }, 'LINK.INVALID_TARGET'],
    ['ftp:', { url: 'ftp://example.com/file' }, 'LINK.INVALID_TARGET'],
    ['a relative URL', { url: '/relative/path' }, 'LINK.INVALID_TARGET'],
    ['a scheme-relative URL', { url: '//evil.example/' }, 'LINK.INVALID_TARGET'],
    ['an overly long URL', { url: `https://example.com/${'x'.repeat(2100)}` }, 'LINK.INVALID_TARGET'],
    ['embedded credentials', { url: 'https://user:pass@example.com/' }, 'LINK.INVALID_TARGET'],
    ['a space', { url: 'https://example.com/a b' }, 'LINK.INVALID_TARGET'],
    ['no URL', {}, 'LINK.INVALID_TARGET'],
    ['a non-string URL', { url: { href: 'https://example.com' } }, 'LINK.INVALID_TARGET'],
    ['a short alias', { url: 'https://example.com/', alias: 'ab' }, 'LINK.INVALID_ALIAS'],
    ['an alias with a slash', { url: 'https://example.com/', alias: 'a/b/c' }, 'LINK.INVALID_ALIAS'],
    ['a reserved alias', { url: 'https://example.com/', alias: 'API' }, 'LINK.INVALID_ALIAS'],
    ['a past expiry', { url: 'https://example.com/', expires_at: '2001-01-01T00:00:00Z' }, 'LINK.INVALID_EXPIRY'],
    ['a malformed expiry', { url: 'https://example.com/', expires_at: 'tomorrow' }, 'LINK.INVALID_EXPIRY'],
  ])('refuses %s with 400 and stores nothing', async (_name, body, code) => {
    const refused = await api.create(token, body).expect(400);
    expect(refused.body.code).toBe(code);
    expect(refused.body.message).toEqual(expect.any(String));
    await api.req('get', '/api/links', token).expect(200, []);
  });

  it('requires authentication to create, list and delete, but not to follow a link', async () => {
    const { body } = await api.create(token, { url: 'https://example.com/' }).expect(201);
    await api.req('post', '/api/links').send({ url: 'https://example.com/' }).expect(401);
    await api.req('get', '/api/links').expect(401);
    await api.req('delete', `/api/links/${body.alias}`).expect(401);
    await api.req('get', `/${body.alias}`).expect(302);
  });

  it('answers 410 once a link has expired, also when it was cached before', async () => {
    const expiresAt = new Date(clockMs + 60_000).toISOString();
    const { body } = await api.create(token, { url: 'https://example.com/soon', expires_at: expiresAt }).expect(201);
    expect(body.expires_at).toBe(expiresAt);
    await api.req('get', `/${body.alias}`).expect(302); // now cached
    clockMs += 60_000;
    expect((await api.req('get', `/${body.alias}`).expect(410)).body.code).toBe('LINK.EXPIRED');
  });

  it('deletes only its own links; a deleted or unknown alias answers 404 even after being cached', async () => {
    const { body } = await api.create(token, { url: 'https://example.com/', alias: 'to-delete' }).expect(201);
    await api.req('get', '/to-delete').expect(302); // cached
    const other = await newToken();
    await api.req('delete', '/api/links/to-delete', other).expect(404);
    await api.req('get', '/to-delete').expect(302);
    await api.req('delete', `/api/links/${body.alias}`, token).expect(204);
    expect((await api.req('get', '/to-delete').expect(404)).body.code).toBe('LINK.NOT_FOUND');
    await api.req('get', '/never-made').expect(404);
    await api.req('get', '/api/links', token).expect(200, []);
    // The alias is free again and the new link is served, not the deleted one's tombstone.
    await api.create(other, { url: 'https://new.example/', alias: 'to-delete' }).expect(201);
    expect((await api.req('get', '/to-delete').expect(302)).headers.location).toBe('https://new.example/');
  });

  it('limits creation per user and per IP with 429 and Retry-After, other clients unaffected', async () => {
    const limited = await start({ links: { createPerUser: { limit: 2, windowMs: 60_000 }, createPerIp: { limit: 4, windowMs: 60_000 } } });
    const owner = await newToken(limited);
    await limited.create(owner, { url: 'https://example.com/1' }).expect(201);
    await limited.create(owner, { url: 'https://example.com/2' }).expect(201);
    const perUser = await limited.create(owner, { url: 'https://example.com/3' }).expect(429);
    expect(perUser.body.code).toBe('RATE_LIMIT.EXCEEDED');
    expect(Number(perUser.headers['retry-after'])).toBe(30);

    const second = await newToken(limited);
    await limited.create(second, { url: 'https://example.com/4' }).expect(201); // IP bucket: 4 of 4, as the IP counts before the user
    expect(Number((await limited.create(second, { url: 'https://example.com/5' }).expect(429)).headers['retry-after'])).toBeGreaterThan(0);
    const elsewhere = new UrlApi(limited.target);
    await elsewhere.create(await newToken(elsewhere), { url: 'https://example.com/6' }).expect(201);
    expect((await limited.req('get', '/api/links', owner).expect(200)).body).toHaveLength(2);
  });

  it('writes hit counts to the store in batches, and the last batch on shutdown', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'url-hits-'));
    const file = join(dir, 'links.sqlite');
    const filed = await start({ sql: { kind: 'embedded', file } });
    const owner = await newToken(filed);
    const { body } = await filed.create(owner, { url: 'https://example.com/' }).expect(201);
    for (let i = 0; i < 5; i++) await filed.req('get', `/${body.alias}`).expect(302);
    const db = container.get<SqlDatabase>(SqlDatabase);
    const stored = async (source: SqlDatabase): Promise<number> =>
      Number((await source.dataSource.query('SELECT hits FROM url_links WHERE alias = ?', [body.alias]))[0].hits);
    expect(await stored(db)).toBe(0); // counted in memory: the flush interval is a minute here
    await container.get(HitCounter).flush();
    expect(await stored(db)).toBe(5);

    for (let i = 0; i < 2; i++) await filed.req('get', `/${body.alias}`).expect(302);
    await closeAppContainer(containers.pop()!);
    const reopened = await openSqlDatabase({ kind: 'embedded', file }, urlShortenerSqlSchema);
    expect(await stored(reopened)).toBe(7);
    await reopened.close();
    await rm(dir, { recursive: true });
  });

  it('serves the users API only with the auth domain embedded', async () => {
    await api.req('post', '/api/users').send({ email: 'x@example.com', password: 'Correct-Horse-7' }).expect(auth === 'embedded' ? 201 : 404);
  });

  it('serves liveness and readiness, and keeps /metrics off the API port', async () => {
    await api.req('get', '/api/health').expect(200, { status: 'ok' });
    const { body } = await api.req('get', '/api/health/ready').expect(200);
    expect(Object.keys(body.checks).sort()).toEqual(auth === 'embedded' ? ['sqlite:app'] : ['auth-service', 'sqlite:app']);
    await api.req('get', '/metrics').expect(404); // serveApp serves it on METRICS_PORT
  });

  // Client -> load balancer 10.1.2.3 -> a proxy on this host -> the app: the balancer appends
  // the client to X-Forwarded-For, the local proxy the balancer.
  it.each([
    ['unset (loopback): the balancer looks like the one client', undefined, 429],
    ['loopback,10.0.0.0/8: each client behind the balancer counts alone', 'loopback,10.0.0.0/8', 201],
  ])('keys the per-IP limit with TRUST_PROXY %s', async (_case, trustProxy, secondClient) => {
    const { trustProxy: trusted } = urlShortenerConfigFromEnv({ TRUST_PROXY: trustProxy });
    const behind = await start({ trustProxy: trusted, links: { createPerIp: { limit: 1, windowMs: 60_000 } } });
    const first = new UrlApi(behind.target, '203.0.113.7, 10.1.2.3');
    const second = new UrlApi(behind.target, '198.51.100.9, 10.1.2.3');
    const [firstUser, secondUser] = [await newToken(first), await newToken(second)];
    await first.create(firstUser, { url: 'https://example.com/a' }).expect(201);
    await second.create(secondUser, { url: 'https://example.com/b' }).expect(secondClient);
  });
});

describe('url shortener app (auth remote) while the user app is down', () => {
  it('refuses authenticated requests with 503 and a message, and still redirects', async () => {
    const userApp = await serveTestUserApp();
    const config = testConfig({ auth: { kind: 'remote', url: userApp.url, timeoutMs: 1_000, cacheTtlMs: 5_000 } });
    const container = await createUrlShortenerContainer(config);
    const api = new UrlApi(container.get<Application>(HttpApp));
    try {
      const token = (await new AuthClient(userApp.url).newUser()).accessToken;
      const { body } = await api.create(token, { url: 'https://example.com/' }).expect(201);
      const unseen = (await new AuthClient(userApp.url).newUser()).accessToken;
      await userApp.close();
      const refused = await api.create(unseen, { url: 'https://example.com/' }).expect(503);
      expect(refused.body).toEqual({ code: 'AUTH.UNAVAILABLE', message: 'authentication is temporarily unavailable' });
      await api.req('get', `/${body.alias}`).expect(302);
    } finally {
      await closeAppContainer(container);
    }
  });
});
