import { Writable } from 'node:stream';
import type { Application } from 'express';
import type { Container } from 'inversify';
import { closeAppContainer } from '@sd/app/app-container';
import { AuthClient as UserApi, newEmail, signedHeaders, STRONG_PASSWORD } from '@sd/auth/testing';
import { HttpApp } from '@sd/http/http-app.module';
import { createLogger } from '@sd/logging/logger';
import { SqlDatabase } from '@sd/orm/sql-database';
import { createUserContainer } from './container';
import { testConfig } from './testing/test-config';

/** The user app on its embedded default (sql.js + memory), built by the same function as main. */
describe('user app (embedded)', () => {
  let container: Container;
  let api: UserApi;
  let clockMs: number;

  beforeEach(async () => {
    clockMs = Date.now();
    container = await createUserContainer(testConfig({ auth: { accessTokenTtlSeconds: 60 } }), { clock: () => clockMs });
    api = new UserApi(container.get<Application>(HttpApp));
  });
  afterEach(() => closeAppContainer(container));

  it('signs up, logs in with a cookie and a token pair, and tells who is logged in', async () => {
    const email = newEmail();
    const created = await api.signUp(email.toUpperCase()).expect(201);
    expect(created.body).toEqual({ id: expect.any(String), email, created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    const login = await api.logIn(email).expect(200);
    expect(login.body).toEqual({ access_token: expect.any(String), refresh_token: expect.stringMatching(/^rt_/), expires_in: 60, token_type: 'Bearer' });
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).toContain(`accessToken=${login.body.access_token}`);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    await api.as(login.body.access_token, 'get', '/api/users/self').expect(200, created.body);
    await api.req('get', '/api/users/self').set('cookie', `accessToken=${login.body.access_token}`).expect(200, created.body);
    await api.req('get', '/api/health').expect(200, { status: 'ok' });
  });

  it('says a taken email is taken (409) but never which log-in part was wrong', async () => {
    const email = newEmail();
    await api.signUp(email).expect(201);
    expect((await api.signUp(email).expect(409)).body.code).toBe('AUTH.EMAIL_TAKEN');
    const wrongPassword = await api.logIn(email, 'Wrong-Password-1').expect(401);
    const unknownEmail = await api.logIn(newEmail()).expect(401);
    expect(wrongPassword.body).toEqual({ message: 'incorrect email or password', code: 'AUTH.INVALID_CREDENTIALS' });
    expect(unknownEmail.body).toEqual(wrongPassword.body);
  });

  it.each([
    ['no body', undefined, 400],
    ['an array', [], 400],
    ['missing password', { password: undefined }, 400],
    ['missing email', { email: undefined, password: STRONG_PASSWORD }, 400],
    ['empty password', { password: '' }, 400],
    ['malformed email', { email: 'not an email', password: STRONG_PASSWORD }, 400],
    ['short password', { password: 'Ab1' }, 400],
    ['one character class', { password: 'abcdefghijkl' }, 400],
    ['huge password', { password: 'Ab1'.repeat(43) }, 400],
    ['numeric password', { password: 12345678901 }, 400],
    ['object email', { email: { $ne: null }, password: STRONG_PASSWORD }, 400],
    ['oversized body', { password: STRONG_PASSWORD, padding: 'x'.repeat(20_000) }, 413],
  ])('refuses sign-up with %s and creates nothing', async (_name, body, status) => {
    const email = newEmail();
    const sent = body && !Array.isArray(body) ? { email, ...body } : body;
    const response = await (sent === undefined ? api.req('post', '/api/users') : api.req('post', '/api/users').send(sent as object)).expect(status);
    expect(response.body).toEqual({ message: expect.any(String), code: expect.stringMatching(/^(VALIDATION|HTTP)\./) });
    await api.logIn(email).expect(401);
    await api.signUp(email).expect(201); // the email was not taken by the refused request
  });

  it('refuses malformed JSON with 400', async () => {
    const response = await api.req('post', '/api/users').set('content-type', 'application/json').send('{"email":').expect(400);
    expect(response.body.code).toBe('HTTP.MALFORMED_JSON');
  });

  it('revokes a session on log-out: its token is refused on the next request, its cookie cleared', async () => {
    const user = await api.newUser();
    const other = await api.logIn(user.email).expect(200);
    const logout = await api.as(user.accessToken, 'delete', '/api/users/accessToken').expect(204);
    expect(String(logout.headers['set-cookie'])).toMatch(/accessToken=;.*Expires=Thu, 01 Jan 1970/);
    expect((await api.as(user.accessToken, 'get', '/api/users/self').expect(401)).body.code).toBe('AUTH.SESSION_ENDED');
    await api.req('post', '/api/users/refreshToken').send({ refresh_token: user.refreshToken }).expect(401);
    await api.as(other.body.access_token, 'get', '/api/users/self').expect(200); // another session lives on
  });

  it('verifies tokens and principals for the other services', async () => {
    const user = await api.newUser();
    const { body } = await api.req('post', '/internal/auth/token').send({ access_token: user.accessToken }).expect(200);
    expect(body).toEqual({ principal: { method: 'session', user_id: user.id, session_id: expect.any(String), permissions: ['view', 'trade'] } });
    await api.req('post', '/internal/auth/principal').send(body.principal).expect(200, { valid: true });
    const forged = await api.req('post', '/internal/auth/token').send({ access_token: `${user.accessToken}x` }).expect(200);
    expect(forged.body).toEqual({ error: { code: 'AUTH.INVALID_TOKEN', kind: 'unauthenticated', message: 'invalid access token' } });
    await api.as(user.accessToken, 'delete', '/api/users/accessToken').expect(204);
    await api.req('post', '/internal/auth/principal').send(body.principal).expect(200, { valid: false });
    expect((await api.req('post', '/internal/auth/token').send({ token: 42 }).expect(400)).body.code).toBe('VALIDATION.INVALID_INPUT');
  });

  it('refuses an expired access token', async () => {
    const user = await api.newUser();
    clockMs += 59_000;
    await api.as(user.accessToken, 'get', '/api/users/self').expect(200);
    clockMs += 1_000;
    expect((await api.as(user.accessToken, 'get', '/api/users/self').expect(401)).body.code).toBe('AUTH.TOKEN_EXPIRED');
  });

  it('rotates refresh tokens, and reuse of an old one revokes the session', async () => {
    const user = await api.newUser();
    const first = await api.req('post', '/api/users/refreshToken').send({ refresh_token: user.refreshToken }).expect(200);
    expect(first.body.refresh_token).not.toBe(user.refreshToken);
    expect(String(first.headers['set-cookie'])).toContain(`accessToken=${first.body.access_token}`);
    await api.as(first.body.access_token, 'get', '/api/users/self').expect(200);
    const second = await api.req('post', '/api/users/refreshToken').send({ refresh_token: first.body.refresh_token }).expect(200);

    const reuse = await api.req('post', '/api/users/refreshToken').send({ refresh_token: user.refreshToken }).expect(401);
    expect(reuse.body.code).toBe('AUTH.REFRESH_TOKEN_REUSED');
    for (const token of [user.accessToken, first.body.access_token, second.body.access_token]) {
      expect((await api.as(token, 'get', '/api/users/self').expect(401)).body.code).toBe('AUTH.SESSION_ENDED');
    }
    await api.req('post', '/api/users/refreshToken').send({ refresh_token: second.body.refresh_token }).expect(401);
    await api.req('post', '/api/users/refreshToken').send({}).expect(400);
  });

  it('keeps API keys private to their owner and shows the secret only once', async () => {
    const [alice, bob] = [await api.newUser(), await api.newUser()];
    const created = await api.as(alice.accessToken, 'post', '/api/users/apiKeys').send({ permissions: ['view', 'trade'], label: 'bot' }).expect(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      key: expect.stringMatching(/^[0-9a-f]{32}$/),
      secret: expect.any(String),
      passphrase: expect.any(String),
      permissions: ['view', 'trade'],
      label: 'bot',
      created_at: expect.any(String),
    });
    expect(Buffer.from(created.body.secret, 'base64')).toHaveLength(64);
    const listed = await api.as(alice.accessToken, 'get', '/api/users/apiKeys').expect(200);
    const { secret: _secret, passphrase: _passphrase, ...visible } = created.body;
    expect(listed.body).toEqual([visible]);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.secret);

    await api.as(bob.accessToken, 'get', '/api/users/apiKeys').expect(200, []);
    expect((await api.as(bob.accessToken, 'delete', `/api/users/apiKeys/${created.body.id}`).expect(404)).body.code).toBe('AUTH.API_KEY_NOT_FOUND');
    await api.signed(created.body, 'GET', '/api/users/self').expect(200); // still works: Bob could not delete it
    await api.as(alice.accessToken, 'delete', `/api/users/apiKeys/${created.body.id}`).expect(204);
    await api.as(alice.accessToken, 'get', '/api/users/apiKeys').expect(200, []);
    expect((await api.signed(created.body, 'GET', '/api/users/self').expect(401)).body.code).toBe('AUTH.INVALID_API_KEY');
    await api.as(alice.accessToken, 'post', '/api/users/apiKeys').send({ permissions: ['admin'] }).expect(400);
    await api.as(alice.accessToken, 'get', '/api/users/apiKeys').expect(200, []);
  });

  it('authenticates Coinbase-signed requests, the same one twice within the window, refusing tampered and stale ones', async () => {
    const user = await api.newUser();
    const { body: key } = await api.as(user.accessToken, 'post', '/api/users/apiKeys').send({ permissions: ['view'] }).expect(201);
    const now = (): string => (clockMs / 1000).toFixed(3);

    const self = await api.signed(key, 'GET', '/api/users/self', { timestamp: now() }).expect(200);
    expect(self.body.email).toBe(user.email);

    const timestamp = now();
    await api.signed(key, 'GET', '/api/users/self?a=1', { timestamp }).expect(200);
    // Coinbase's rule is the timestamp window only: a client polling twice in one second signs twice alike.
    await api.signed(key, 'GET', '/api/users/self?a=1', { timestamp }).expect(200);

    const stale = await api.signed(key, 'GET', '/api/users/self', { timestamp: ((clockMs - 31_000) / 1000).toFixed(3) }).expect(401);
    expect(stale.body.code).toBe('AUTH.STALE_TIMESTAMP');

    // A signature for one body, sent with another: refused before the handler runs.
    const tampered = await api
      .req('post', '/api/users/apiKeys')
      .set(signedHeaders(key, { method: 'POST', requestPath: '/api/users/apiKeys', body: '{"permissions":["view"]}', timestamp: now() }))
      .send({ permissions: ['view', 'trade'] })
      .expect(401);
    expect(tampered.body.code).toBe('AUTH.INVALID_SIGNATURE');
    // Correctly signed, but a key may not mint keys.
    const minted = await api.signed(key, 'POST', '/api/users/apiKeys', { body: { permissions: ['view', 'trade'] }, timestamp: now() }).expect(403);
    expect(minted.body.code).toBe('AUTH.SESSION_REQUIRED');
    await api.as(user.accessToken, 'get', '/api/users/apiKeys').expect(200).then(({ body }) => expect(body).toHaveLength(1));
    const wrongPassphrase = await api.signed({ ...key, passphrase: 'guess' }, 'GET', '/api/users/self', { timestamp: now() }).expect(401);
    expect(wrongPassphrase.body.code).toBe('AUTH.INVALID_API_KEY');
  });

  it('limits each user, answering 429 with Retry-After', async () => {
    const limited = await createUserContainer(
      testConfig({ auth: { rateLimits: { perIp: { limit: 100, windowMs: 60_000 }, credentialsPerIp: { limit: 100, windowMs: 60_000 }, perUser: { limit: 3, windowMs: 60_000 } } } }),
    );
    const client = new UserApi(limited.get<Application>(HttpApp));
    const [alice, bob] = [await client.newUser(), await client.newUser()];
    for (let i = 0; i < 3; i++) await client.as(alice.accessToken, 'get', '/api/users/self').expect(200);
    const refused = await client.as(alice.accessToken, 'get', '/api/users/self').expect(429);
    expect(refused.body.code).toBe('RATE_LIMIT.EXCEEDED');
    expect(Number(refused.headers['retry-after'])).toBe(20);
    await client.as(bob.accessToken, 'get', '/api/users/self').expect(200);
    await closeAppContainer(limited);
  });

  it('limits credential attempts per client IP', async () => {
    const limited = await createUserContainer(
      testConfig({ auth: { rateLimits: { perIp: { limit: 100, windowMs: 60_000 }, credentialsPerIp: { limit: 5, windowMs: 60_000 }, perUser: { limit: 100, windowMs: 60_000 } } } }),
    );
    const app = limited.get<Application>(HttpApp);
    const attacker = new UserApi(app, '203.0.113.9');
    for (let i = 0; i < 5; i++) await attacker.logIn('victim@example.com', `guess-${i}`).expect(401);
    const refused = await attacker.logIn('victim@example.com', 'guess-6').expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    await new UserApi(app, '203.0.113.10').logIn('victim@example.com', 'guess-7').expect(401);
    await closeAppContainer(limited);
  });

  it('never logs a password, hash, token, secret or passphrase', async () => {
    const lines: string[] = [];
    const destination = new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) });
    const logged = await createUserContainer(testConfig(), { logger: createLogger({ name: 'user', level: 'debug', destination }) });
    const client = new UserApi(logged.get<Application>(HttpApp));
    const user = await client.newUser();
    await client.logIn(user.email, 'Wrong-Password-9').expect(401);
    const { body: key } = await client.as(user.accessToken, 'post', '/api/users/apiKeys').send({}).expect(201);
    await client.signed(key, 'GET', '/api/users/self').expect(200);
    const refreshed = await client.req('post', '/api/users/refreshToken').send({ refresh_token: user.refreshToken }).expect(200);
    await client.req('post', '/api/users/refreshToken').send({ refresh_token: user.refreshToken }).expect(401);
    await client.signUp(newEmail(), 'short').expect(400);
    const [{ password_hash: hash }] = await logged.get<SqlDatabase>(SqlDatabase).dataSource.query('SELECT password_hash FROM auth_users');
    await closeAppContainer(logged);

    const log = lines.join('');
    expect(lines.length).toBeGreaterThan(5);
    for (const secret of [STRONG_PASSWORD, 'Wrong-Password-9', user.accessToken, user.refreshToken, refreshed.body.refresh_token, key.secret, key.passphrase, hash]) {
      expect(log).not.toContain(secret);
    }
    expect(log).toContain('refresh token reused; session revoked');
  });
});
