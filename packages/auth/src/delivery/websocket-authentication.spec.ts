import { authenticateWebSocket } from '@sd/http/websocket-auth';
import { createAuthFixture, type AuthFixture } from '../testing/auth-fixture';
import { signedHeaders } from '../testing/coinbase-client';

// kit/http's WebSocket authentication over this domain's authenticator.
describe('authenticateWebSocket', () => {
  let fx: AuthFixture;
  let accessToken: string;
  beforeEach(async () => {
    fx = await createAuthFixture();
    await fx.accounts.signUp({ email: 'dan@example.com', password: 'Password1' });
    accessToken = (await fx.accounts.logIn({ email: 'dan@example.com', password: 'Password1' })).accessToken;
  });
  afterEach(() => fx.close());

  const subscribeSignedBy = async (overrides: Record<string, string> = {}) => {
    const session = await fx.authenticator.authenticateToken(accessToken);
    const creds = await fx.apiKeys.create(session, { permissions: ['view'] });
    const headers = signedHeaders(creds, { method: 'GET', requestPath: '/users/self/verify', timestamp: String(fx.clock.nowMs / 1000) });
    return {
      type: 'subscribe',
      channels: ['user'],
      key: headers['CB-ACCESS-KEY'],
      passphrase: headers['CB-ACCESS-PASSPHRASE'],
      timestamp: headers['CB-ACCESS-TIMESTAMP'],
      signature: headers['CB-ACCESS-SIGN'],
      ...overrides,
    };
  };

  it('accepts a Coinbase-style signed subscribe message, and the same message again within the window', async () => {
    const message = await subscribeSignedBy();
    const result = await authenticateWebSocket(fx.authenticator, { message });
    expect(result).toMatchObject({ ok: true, principal: { method: 'api_key', permissions: ['view'] } });
    const replay = await authenticateWebSocket(fx.authenticator, { message });
    expect(replay).toMatchObject({ ok: true, principal: { method: 'api_key' } });
  });

  it('returns a typed error for a bad or incomplete signature', async () => {
    expect(await authenticateWebSocket(fx.authenticator, { message: await subscribeSignedBy({ signature: 'A'.repeat(44) }) })).toMatchObject({
      ok: false,
      error: { code: 'AUTH.INVALID_SIGNATURE', kind: 'unauthenticated' },
    });
    expect(await authenticateWebSocket(fx.authenticator, { message: { key: 'k', signature: 's' } })).toMatchObject({ ok: false });
  });

  it('accepts a token in the message or in the upgrade request, and refuses none', async () => {
    expect(await authenticateWebSocket(fx.authenticator, { message: { type: 'subscribe', token: accessToken } })).toMatchObject({ ok: true });
    expect(await authenticateWebSocket(fx.authenticator, { headers: { authorization: `Bearer ${accessToken}` } })).toMatchObject({ ok: true });
    expect(await authenticateWebSocket(fx.authenticator, { headers: { cookie: `accessToken=${accessToken}` } })).toMatchObject({ ok: true });
    expect(await authenticateWebSocket(fx.authenticator, { message: { type: 'subscribe' }, headers: {} })).toMatchObject({
      ok: false,
      error: { code: 'AUTH.UNAUTHENTICATED' },
    });
  });
});
