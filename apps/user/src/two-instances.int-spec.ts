import { randomUUID } from 'node:crypto';
import { serveApp, type RunningApp } from '@sd/app/app-container';
import { AuthClient as UserApi, signedHeaders } from '@sd/auth/testing';
import { isolatedPostgresSchema } from '@sd/orm/testing/postgres-schema';
import { serviceUrl } from '@sd/testing/services';
import type { UserConfig } from './config';
import { createUserContainer } from './container';
import { testConfig } from './testing/test-config';

/**
 * Two instances of the user app, each with its own connection pools, sharing one PostgreSQL
 * (a schema of this file's own, built by the migrations) and one Redis (a key prefix of this
 * run's own), each listening on its own port: what two processes behind a balancer share.
 */
describe('two user app instances on PostgreSQL and Redis', () => {
  let schema: Awaited<ReturnType<typeof isolatedPostgresSchema>>;
  let config: UserConfig;
  const apps: RunningApp[] = [];
  let urlA: string;
  let urlB: string;

  const start = async (overrides: UserConfig['auth']['settings'] = {}): Promise<string> => {
    const app = await serveApp(await createUserContainer({ ...config, auth: { ...config.auth, settings: { ...config.auth.settings, ...overrides } } }), { port: 0 });
    apps.push(app);
    return app.url;
  };

  beforeAll(async () => {
    schema = await isolatedPostgresSchema(serviceUrl('postgres'), 'user_app_it');
    const redis = { kind: 'redis' as const, url: serviceUrl('redis'), keyPrefix: `test:user:${randomUUID()}:` };
    config = testConfig({
      sql: { kind: 'postgres', url: schema.url, poolSize: 4 },
      cache: redis,
      rateLimiter: redis,
      auth: {
        rateLimits: {
          perIp: { limit: 1_000, windowMs: 60_000 },
          credentialsPerIp: { limit: 10, windowMs: 60_000 },
          perUser: { limit: 12, windowMs: 60_000 },
        },
      },
    });
    urlA = await start(); // runs the migrations
    urlB = await start();
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await schema?.drop();
  });

  /** One client (one IP) talking to both instances. */
  const clients = (): [UserApi, UserApi] => {
    const a = new UserApi(urlA);
    return [a, new UserApi(urlB, a.ip)];
  };

  it('serves a session opened on one instance from the other; log-out on one is refused by the other at once', async () => {
    const [a, b] = clients();
    const user = await a.newUser();
    await b.as(user.accessToken, 'get', '/api/users/self').expect(200).then(({ body }) => expect(body.email).toBe(user.email));
    await b.signUp(user.email).expect(409);
    const login = await b.logIn(user.email).expect(200);
    await a.as(login.body.access_token, 'get', '/api/users/self').expect(200);

    await a.as(user.accessToken, 'delete', '/api/users/accessToken').expect(204);
    expect((await b.as(user.accessToken, 'get', '/api/users/self').expect(401)).body.code).toBe('AUTH.SESSION_ENDED');
    await b.as(login.body.access_token, 'get', '/api/users/self').expect(200);
  });

  it('rotates refresh tokens across instances; reuse on either revokes the session on both', async () => {
    const [a, b] = clients();
    const user = await a.newUser();
    const rotated = await b.req('post', '/api/users/refreshToken').send({ refresh_token: user.refreshToken }).expect(200);
    await a.as(rotated.body.access_token, 'get', '/api/users/self').expect(200);

    const reuse = await a.req('post', '/api/users/refreshToken').send({ refresh_token: user.refreshToken }).expect(401);
    expect(reuse.body.code).toBe('AUTH.REFRESH_TOKEN_REUSED');
    for (const client of [a, b]) await client.as(rotated.body.access_token, 'get', '/api/users/self').expect(401);
    await b.req('post', '/api/users/refreshToken').send({ refresh_token: rotated.body.refresh_token }).expect(401);
  });

  it('rotates once when both instances get the same refresh token at the same time', async () => {
    const [a, b] = clients();
    const user = await a.newUser();
    const results = await Promise.all([a, b].map((client) => client.req('post', '/api/users/refreshToken').send({ refresh_token: user.refreshToken })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
    // The loser's attempt counts as reuse: the session is gone everywhere.
    const winner = results.find((r) => r.status === 200)!;
    await b.as(winner.body.access_token, 'get', '/api/users/self').expect(401);
  });

  it('refuses an expired token on both instances', async () => {
    const shortA = await start({ accessTokenTtlSeconds: 1 });
    const shortB = await start({ accessTokenTtlSeconds: 1 });
    const a = new UserApi(shortA);
    const b = new UserApi(shortB, a.ip);
    const user = await a.newUser();
    await b.as(user.accessToken, 'get', '/api/users/self').expect(200);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    for (const client of [a, b]) expect((await client.as(user.accessToken, 'get', '/api/users/self').expect(401)).body.code).toBe('AUTH.TOKEN_EXPIRED');
  });

  it('keeps one user out of another user’s API keys on every instance', async () => {
    const [a, b] = clients();
    const [alice, bob] = [await a.newUser(), await b.newUser()];
    const { body: key } = await a.as(alice.accessToken, 'post', '/api/users/apiKeys').send({ permissions: ['view', 'trade'] }).expect(201);
    await b.as(bob.accessToken, 'get', '/api/users/apiKeys').expect(200, []);
    await b.as(bob.accessToken, 'delete', `/api/users/apiKeys/${key.id}`).expect(404);
    await a.as(bob.accessToken, 'delete', `/api/users/apiKeys/${key.id}`).expect(404);
    const listed = await b.as(alice.accessToken, 'get', '/api/users/apiKeys').expect(200);
    expect(listed.body.map((k: { id: string }) => k.id)).toEqual([key.id]);
    expect(JSON.stringify(listed.body)).not.toContain(key.secret);
    const self = await b.signed(key, 'GET', '/api/users/self').expect(200);
    expect(self.body.id).toBe(alice.id);
    await b.as(alice.accessToken, 'delete', `/api/users/apiKeys/${key.id}`).expect(204);
    expect((await a.signed(key, 'GET', '/api/users/self').expect(401)).body.code).toBe('AUTH.INVALID_API_KEY');
  });

  it('accepts the same signed request on either instance within the window, and refuses stale or tampered ones', async () => {
    const [a, b] = clients();
    const user = await a.newUser();
    const { body: key } = await a.as(user.accessToken, 'post', '/api/users/apiKeys').send({ permissions: ['view'] }).expect(201);
    const timestamp = (Date.now() / 1000).toFixed(3);
    await a.signed(key, 'GET', '/api/users/self?x=1', { timestamp }).expect(200);
    await b.signed(key, 'GET', '/api/users/self?x=1', { timestamp }).expect(200);
    const stale = await b.signed(key, 'GET', '/api/users/self', { timestamp: String(Math.floor(Date.now() / 1000) - 31) }).expect(401);
    expect(stale.body.code).toBe('AUTH.STALE_TIMESTAMP');
    const headers = signedHeaders(key, { method: 'GET', requestPath: '/api/users/self?x=2' });
    expect((await b.req('get', '/api/users/self?x=3').set(headers).expect(401)).body.code).toBe('AUTH.INVALID_SIGNATURE');
  });

  it('holds per-user rate limits across both instances (429 + Retry-After)', async () => {
    const [a, b] = clients();
    const user = await a.newUser();
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await (i % 2 === 0 ? a : b).as(user.accessToken, 'get', '/api/users/self')).status);
    expect(statuses).toEqual(Array(12).fill(200));
    for (const client of [a, b]) {
      const refused = await client.as(user.accessToken, 'get', '/api/users/self').expect(429);
      expect(refused.body.code).toBe('RATE_LIMIT.EXCEEDED');
      expect(Number(refused.headers['retry-after'])).toBe(5); // one request refills every 60 s / 12
    }
    const other = await a.newUser();
    await b.as(other.accessToken, 'get', '/api/users/self').expect(200);
  });

  it('holds per-IP credential limits across both instances', async () => {
    const [a, b] = clients();
    const email = `${randomUUID()}@example.com`;
    for (let i = 0; i < 10; i++) await (i % 2 === 0 ? a : b).logIn(email, `guess-${i}`).expect(401);
    for (const client of [a, b]) expect(Number((await client.logIn(email, 'guess-x').expect(429)).headers['retry-after'])).toBeGreaterThan(0);
    await new UserApi(urlB).logIn(email, 'guess-y').expect(401); // another IP is not affected
  });

  it('changes nothing for bad input, on either instance', async () => {
    const [a, b] = clients();
    const email = `${randomUUID()}@example.com`;
    await a.req('post', '/api/users').send({ email, password: 'short' }).expect(400);
    await b.req('post', '/api/users').send({ email, password: ['Array', 'Password1'] }).expect(400);
    await b.req('post', '/api/users').send({ email, password: 'Ab1'.repeat(50) }).expect(400);
    await a.req('post', '/api/users').send({ email, password: 'Ok-Password-1', pad: 'x'.repeat(20_000) }).expect(413);
    await b.logIn(email, 'Ok-Password-1').expect(401);
    await a.signUp(email).expect(201);
  });
});
