import { randomUUID } from 'node:crypto';
import { serveApp, type RunningApp } from '@sd/app/app-container';
import { serveTestUserApp } from '@sd/app-user/testing';
import { AuthClient } from '@sd/auth/testing';
import { isolatedPostgresSchema } from '@sd/orm/testing/postgres-schema';
import { SqlDatabase } from '@sd/orm/sql-database';
import { serviceUrl } from '@sd/testing/services';
import { HitCounter } from '@sd/urlshortener/module';
import { createUrlShortenerContainer } from './container';
import { testConfig, UrlApi } from './testing/url-api';

/**
 * Two instances on one PostgreSQL (a schema of this file's own, built by the migrations) and
 * one Redis (a key prefix of this run's own) for the cache and the rate limits, authenticating
 * against a user app (AUTH=remote) on its own schema, as compose runs them.
 */
describe('two url shortener instances on PostgreSQL and Redis, auth remote', () => {
  const schemas: Array<Awaited<ReturnType<typeof isolatedPostgresSchema>>> = [];
  let userApp: RunningApp;
  const apps: RunningApp[] = [];
  let a: UrlApi;
  let b: UrlApi;
  let users: AuthClient;

  beforeAll(async () => {
    for (const prefix of ['url_app_it', 'url_users_it']) schemas.push(await isolatedPostgresSchema(serviceUrl('postgres'), prefix));
    const redis = { kind: 'redis' as const, url: serviceUrl('redis'), keyPrefix: `test:url:${randomUUID()}:` };
    userApp = await serveTestUserApp({ sql: { kind: 'postgres', url: schemas[1]!.url, poolSize: 2 } });
    const config = testConfig({
      sql: { kind: 'postgres', url: schemas[0]!.url, poolSize: 4 },
      cache: redis,
      rateLimiter: redis,
      auth: { kind: 'remote', url: userApp.url, timeoutMs: 2_000, cacheTtlMs: 5_000 },
      links: { createPerUser: { limit: 5, windowMs: 60_000 } },
    });
    for (let i = 0; i < 2; i++) apps.push(await serveApp(await createUrlShortenerContainer(config), { port: 0 })); // the first runs the migrations
    a = new UrlApi(apps[0]!.url);
    b = new UrlApi(apps[1]!.url, a.ip);
    users = new AuthClient(userApp.url);
  });

  afterAll(async () => {
    for (const app of [...apps, userApp]) await app?.close();
    for (const schema of schemas) await schema.drop();
  });

  it('serves a link made on one instance from the other, and a delete on one reaches the cache of both', async () => {
    const token = (await users.newUser()).accessToken;
    const { body } = await a.create(token, { url: 'https://example.com/shared' }).expect(201);
    expect(body.short_url).toBe(`${apps[0]!.url}/${body.alias}`);
    for (const client of [a, b, a, b]) expect((await client.req('get', `/${body.alias}`).expect(302)).headers.location).toBe('https://example.com/shared');
    await b.create(token, { url: 'https://example.com/again', alias: body.alias }).expect(409);
    await b.req('delete', `/api/links/${body.alias}`, token).expect(204);
    for (const client of [a, b]) await client.req('get', `/${body.alias}`).expect(404);
  });

  it('adds up the hits both instances counted, in the store', async () => {
    const token = (await users.newUser()).accessToken;
    const { body } = await a.create(token, { url: 'https://example.com/counted' }).expect(201);
    await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).req('get', `/${body.alias}`).expect(302)));
    await Promise.all(apps.map((app) => app.container.get(HitCounter).flush()));
    const db = apps[1]!.container.get<SqlDatabase>(SqlDatabase);
    const [row] = await db.dataSource.query('SELECT hits FROM url_links WHERE alias = $1', [body.alias]);
    expect(Number(row.hits)).toBe(30);
    expect((await b.req('get', '/api/links', token).expect(200)).body[0].hits).toBe(30);
  });

  it('shares the per-user creation limit between instances', async () => {
    const token = (await users.newUser()).accessToken;
    for (let i = 0; i < 5; i++) await (i % 2 ? a : b).create(token, { url: `https://example.com/${i}` }).expect(201);
    const refused = await a.create(token, { url: 'https://example.com/6' }).expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    await b.create(token, { url: 'https://example.com/7' }).expect(429);
    expect((await b.req('get', '/api/links', token).expect(200)).body).toHaveLength(5);
  });
});
