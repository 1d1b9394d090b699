import type { Principal } from '@sd/domain/auth/principal';
import { createAuthFixture, type AuthFixture } from '../testing/auth-fixture';
import { signedHeaders, type ApiCredentials } from '../testing/coinbase-client';
import { assertPermission } from './permissions';

describe('CredentialAuthenticator', () => {
  let fx: AuthFixture;
  let session: Principal;
  let credentials: ApiCredentials;

  beforeEach(async () => {
    fx = await createAuthFixture();
    await fx.accounts.signUp({ email: 'alice@example.com', password: 'Password1' });
    const pair = await fx.accounts.logIn({ email: 'alice@example.com', password: 'Password1' });
    session = await fx.authenticator.authenticateToken(pair.accessToken);
    credentials = await fx.apiKeys.create(session, { permissions: ['view'] });
  });
  afterEach(() => fx.close());

  /** A signed request as the authenticator sees it, signed at the fixture's clock unless told. */
  const signed = (overrides: { method?: string; requestPath?: string; body?: string; timestamp?: string } = {}, creds = credentials) => {
    const request = { method: 'POST', requestPath: '/api/orders?x=1', body: '{"size":"1"}', timestamp: (fx.clock.nowMs / 1000).toFixed(3), ...overrides };
    const headers = signedHeaders(creds, request);
    return {
      key: headers['CB-ACCESS-KEY']!,
      signature: headers['CB-ACCESS-SIGN']!,
      timestamp: headers['CB-ACCESS-TIMESTAMP']!,
      passphrase: headers['CB-ACCESS-PASSPHRASE']!,
      method: request.method,
      requestPath: request.requestPath,
      body: request.body,
    };
  };
  const code = (promise: Promise<unknown>) => promise.then(() => 'accepted', (error: { code?: string }) => error.code);

  it('accepts a correct signature once and names the key owner with its permissions', async () => {
    const principal = await fx.authenticator.authenticateSignature(signed());
    expect(principal).toEqual({ method: 'api_key', userId: session.userId, apiKeyId: (credentials as { id?: string }).id, permissions: ['view'] });
  });

  it('accepts the same signed request again within the window, as Coinbase does (clients sign with whole-second timestamps)', async () => {
    const request = signed({ timestamp: String(Math.floor(fx.clock.nowMs / 1000)) });
    expect(await code(fx.authenticator.authenticateSignature(request))).toBe('accepted');
    expect(await code(fx.authenticator.authenticateSignature(request))).toBe('accepted');
    fx.clock.advance(31_000);
    expect(await code(fx.authenticator.authenticateSignature(request))).toBe('AUTH.STALE_TIMESTAMP');
  });

  it('refuses timestamps outside ±30 s, and accepts them inside', async () => {
    const now = fx.clock.nowMs / 1000;
    expect(await code(fx.authenticator.authenticateSignature(signed({ timestamp: (now - 31).toFixed(3) })))).toBe('AUTH.STALE_TIMESTAMP');
    expect(await code(fx.authenticator.authenticateSignature(signed({ timestamp: (now + 31).toFixed(3) })))).toBe('AUTH.STALE_TIMESTAMP');
    expect(await code(fx.authenticator.authenticateSignature(signed({ timestamp: String(Math.floor(now - 29)) })))).toBe('accepted');
    expect(await code(fx.authenticator.authenticateSignature(signed({ timestamp: 'yesterday' })))).toBe('AUTH.STALE_TIMESTAMP');
  });

  it('refuses a tampered body, path, query or method', async () => {
    const good = signed();
    for (const tampered of [
      { ...good, body: '{"size":"100"}' },
      { ...good, requestPath: '/api/orders?x=2' },
      { ...good, requestPath: '/api/withdrawals?x=1' },
      { ...good, method: 'DELETE' },
      { ...good, timestamp: String(Number(good.timestamp) + 1) },
    ]) {
      expect(await code(fx.authenticator.authenticateSignature(tampered))).toBe('AUTH.INVALID_SIGNATURE');
    }
    expect(await code(fx.authenticator.authenticateSignature(good))).toBe('accepted'); // none of the above was recorded
  });

  it('refuses a wrong passphrase, an unknown key and a deleted key', async () => {
    expect(await code(fx.authenticator.authenticateSignature({ ...signed(), passphrase: 'wrong' }))).toBe('AUTH.INVALID_API_KEY');
    expect(await code(fx.authenticator.authenticateSignature(signed({}, { ...credentials, key: 'f'.repeat(32) })))).toBe('AUTH.INVALID_API_KEY');
    await fx.apiKeys.delete(session, (credentials as { id?: string }).id!);
    expect(await code(fx.authenticator.authenticateSignature(signed()))).toBe('AUTH.INVALID_API_KEY');
  });

  it('lets a view key view but not trade; a session does both', async () => {
    const viewer = await fx.authenticator.authenticateSignature(signed());
    expect(() => assertPermission(viewer, 'view')).not.toThrow();
    expect(() => assertPermission(viewer, 'trade')).toThrow(expect.objectContaining({ code: 'AUTH.PERMISSION_DENIED', kind: 'forbidden' }));
    expect(() => assertPermission(session, 'trade')).not.toThrow();
  });

  it('tells whether a principal still stands', async () => {
    const viewer = await fx.authenticator.authenticateSignature(signed());
    expect(await fx.authenticator.isStillValid(session)).toBe(true);
    expect(await fx.authenticator.isStillValid(viewer)).toBe(true);
    await fx.apiKeys.delete(session, (credentials as { id?: string }).id!);
    await fx.accounts.logOut(session);
    expect(await fx.authenticator.isStillValid(viewer)).toBe(false);
    expect(await fx.authenticator.isStillValid(session)).toBe(false);
  });

  it('stores the API secret encrypted and the passphrase hashed', async () => {
    const [row] = await fx.db.dataSource.query('SELECT * FROM auth_api_keys');
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(credentials.secret);
    expect(stored).not.toContain(credentials.passphrase);
    expect(row.secret_ciphertext).toMatch(/^v1\./);
    expect(row.passphrase_hash).toMatch(/^[0-9a-f]{64}$/);
  });
});
