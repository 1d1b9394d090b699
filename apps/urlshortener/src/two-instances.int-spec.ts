import { randomBytes, randomUUID } from 'node:crypto';
import type { Application } from 'express';
import type { Container } from 'inversify';
import { isolatedPostgresSchema } from '@sd/orm/testing/postgres-schema';
import { listen, type RunningServer } from '@sd/http/server';
import type { SqlDatabase } from '@sd/orm/sql-database';
import { serviceUrl } from '@sd/testing/services';
import { HitCounter } from '@sd/urlshortener/usecase/hit-counter';
import { createUrlShortenerContainer, HttpApp, UrlShortenerDatabase } from './container';
import { testConfig, UrlApi } from './testing/url-api';

/**
 * Two instances on one PostgreSQL (a schema of this file's own, built by the migrations) and
 * one Redis (a key prefix of this run's own) for the cache and the rate limits.
 */
describe('two url shortener instances on PostgreSQL and Redis', () => {
  let schema: Awaited<ReturnType<typeof isolatedPostgresSchema>>;
  const containers: Container[] = [];
  const servers: RunningServer[] = [];
  let a: UrlApi;
  let b: UrlApi;

  beforeAll(async () => {
    schema = await isolatedPostgresSchema(serviceUrl('postgres'), 'url_app_it');
    const redis = { kind: 'redis' as const, url: serviceUrl('redis'), keyPrefix: `test:url:${randomUUID()}:` };
    const config = testConfig({
      sql: { kind: 'postgres', url: schema.url, poolSize: 4 },
      cache: redis,
      rateLimiter: redis,
      keys: { kind: 'configured', tokenSigningKey: randomBytes(32), apiKeyEncryptionKey: randomBytes(32) },
      links: { createPerUser: { limit: 5, windowMs: 60_000 } },
    });
    for (let i = 0; i < 2; i++) {
      const container = await createUrlShortenerContainer(config); // the first runs the migrations
      containers.push(container);
      servers.push(await listen(container.get<Application>(HttpApp), { port: 0 }));
    }
    a = new UrlApi(servers[0]!.url);
    b = new UrlApi(servers[1]!.url, a.ip);
  });

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
    for (const container of containers) await container.unbindAllAsync();
    await schema?.drop();
  });

  it('serves a link made on one instance from the other, and a delete on one reaches the cache of both', async () => {
    const token = await a.newUser();
    const { body } = await a.create(token, { url: 'https://example.com/shared' }).expect(201);
    expect(body.short_url).toBe(`${servers[0]!.url}/${body.alias}`);
    for (const client of [a, b, a, b]) expect((await client.req('get', `/${body.alias}`).expect(302)).headers.location).toBe('https://example.com/shared');
    await b.create(token, { url: 'https://example.com/again', alias: body.alias }).expect(409);
    await b.req('delete', `/api/links/${body.alias}`, token).expect(204);
    for (const client of [a, b]) await client.req('get', `/${body.alias}`).expect(404);
  });

  it('adds up the hits both instances counted, in the store', async () => {
    const token = await a.newUser();
    const { body } = await a.create(token, { url: 'https://example.com/counted' }).expect(201);
    await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).req('get', `/${body.alias}`).expect(302)));
    await Promise.all(containers.map((container) => container.get(HitCounter).flush()));
    const db = containers[1]!.get<SqlDatabase>(UrlShortenerDatabase);
    const [row] = await db.dataSource.query('SELECT hits FROM url_links WHERE alias = $1', [body.alias]);
    expect(Number(row.hits)).toBe(30);
    expect((await b.req('get', '/api/links', token).expect(200)).body[0].hits).toBe(30);
  });

  it('shares the per-user creation limit between instances', async () => {
    const token = await a.newUser();
    for (let i = 0; i < 5; i++) await (i % 2 ? a : b).create(token, { url: `https://example.com/${i}` }).expect(201);
    const refused = await a.create(token, { url: 'https://example.com/6' }).expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    await b.create(token, { url: 'https://example.com/7' }).expect(429);
    expect((await b.req('get', '/api/links', token).expect(200)).body).toHaveLength(5);
  });
});
