import { isDomainError } from '@sd/domain/errors';
import { MemoryRateLimiter } from '@sd/ratelimit/memory/memory-rate-limiter';
import { rateLimitCheck } from '@sd/ratelimit/rate-limit.middleware';
import { createAuthFixture, type AuthFixture } from '../../testing/auth-fixture';
import { signedHeaders } from '../../testing/coinbase-client';
import { authorizer, type AuthorizedRequest } from './authorize';

describe('authorizer (framework-neutral: both HTTP lanes call it)', () => {
  let fx: AuthFixture;
  let accessToken: string;

  beforeEach(async () => {
    fx = await createAuthFixture();
    fx.clock.nowMs = Date.now(); // signatures below are made with the real clock
    await fx.accounts.signUp({ email: 'dave@example.com', password: 'Password1' });
    accessToken = (await fx.accounts.logIn({ email: 'dave@example.com', password: 'Password1' })).accessToken;
  });
  afterEach(() => fx.close());

  const bearer = (url = '/api/orders'): AuthorizedRequest => ({ method: 'POST', url, headers: { authorization: `Bearer ${accessToken}` }, rawBody: Buffer.from('{}') });
  /** Header names as node hands them over: lower case. */
  const received = (headers: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  const codeOf = (promise: Promise<unknown>): Promise<string> =>
    promise.then(
      () => 'resolved',
      (error: unknown) => (isDomainError(error) ? error.code : String(error)),
    );

  it('answers the principal of a bearer token, and refuses a request without credentials', async () => {
    const authorize = authorizer(fx.authenticator, { mountPath: '/api' });
    expect(await authorize(bearer(), {})).toMatchObject({ method: 'session', permissions: ['view', 'trade'] });
    expect(await codeOf(authorize({ ...bearer(), headers: {} }, {}))).toBe('AUTH.UNAUTHENTICATED');
  });

  it('checks the permission: a view key may not trade', async () => {
    const session = await fx.authenticator.authenticateToken(accessToken);
    const viewer = await fx.apiKeys.create(session, { permissions: ['view'] });
    const body = '{"size":"1"}';
    // Signed without the mount path, as a Coinbase client whose base URL ends in /api signs.
    const signed: AuthorizedRequest = { method: 'POST', url: '/api/orders', headers: received(signedHeaders(viewer, { method: 'POST', requestPath: '/orders', body })), rawBody: Buffer.from(body) };
    expect(await codeOf(authorizer(fx.authenticator, { mountPath: '/api', permission: 'trade' })(signed, {}))).toBe('AUTH.PERMISSION_DENIED');
    const again = { ...signed, headers: received(signedHeaders(viewer, { method: 'POST', requestPath: '/orders', body, timestamp: String(Date.now() / 1000 + 0.5) })) };
    expect(await authorizer(fx.authenticator, { mountPath: '/api', permission: 'view' })(again, {})).toMatchObject({ method: 'api_key' });
  });

  it('counts the caller against the per-user limit, with its headers on the refusal too', async () => {
    const limit = rateLimitCheck(new MemoryRateLimiter(), { name: 'orders', rule: { limit: 2, windowMs: 60_000 } });
    const authorize = authorizer(fx.authenticator, { mountPath: '/api', permission: 'trade', limit });
    const headers: Record<string, string> = {};
    await authorize(bearer(), headers);
    await authorize(bearer(), headers);
    expect(headers['RateLimit-Remaining']).toBe('0');
    const refused: Record<string, string> = {};
    expect(await codeOf(authorize(bearer(), refused))).toBe('RATE_LIMIT.EXCEEDED');
    expect(refused['RateLimit-Limit']).toBe('2');
  });
});
