import type { Authenticator } from '@sd/domain/auth/authenticator';
import type { Principal } from '@sd/domain/auth/principal';
import type { AuthFixture } from './auth-fixture';
import { signedHeaders, type ApiCredentials } from './coinbase-client';

export interface AuthenticatorUnderTest {
  authenticator: Authenticator;
  /** The auth domain the adapter answers for: accounts and API keys are made through it. */
  fx: AuthFixture;
  /** How long a revocation may go unseen (an adapter's cache window; 0 in process). */
  staleForMs: number;
  close(): Promise<void>;
}

/**
 * What every `Authenticator` adapter must do, in process or across the network. `open` gives
 * an adapter over a fresh auth domain whose clock is `fx.clock`.
 */
export function describeAuthenticatorContract(adapter: string, open: () => Promise<AuthenticatorUnderTest>): void {
  describe(`Authenticator contract: ${adapter}`, () => {
    let under: AuthenticatorUnderTest;
    let accessToken: string;
    let session: Principal;

    beforeEach(async () => {
      under = await open();
      under.fx.clock.nowMs = Date.now(); // signatures are made with the real clock
      await under.fx.accounts.signUp({ email: 'erin@example.com', password: 'Password1' });
      accessToken = (await under.fx.accounts.logIn({ email: 'erin@example.com', password: 'Password1' })).accessToken;
      session = await under.fx.authenticator.authenticateToken(accessToken);
    });
    afterEach(() => under.close());

    const code = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => 'accepted', (error: { code?: string; kind?: string }) => `${error.code} ${error.kind}`);
    const signed = (credentials: ApiCredentials, overrides: Partial<{ passphrase: string }> = {}) => {
      const headers = signedHeaders(credentials, { method: 'GET', requestPath: '/api/accounts', timestamp: (under.fx.clock.nowMs / 1000).toFixed(3) });
      return {
        key: headers['CB-ACCESS-KEY']!,
        signature: headers['CB-ACCESS-SIGN']!,
        timestamp: headers['CB-ACCESS-TIMESTAMP']!,
        passphrase: overrides.passphrase ?? headers['CB-ACCESS-PASSPHRASE']!,
        method: 'GET',
        requestPath: '/api/accounts',
        body: '',
      };
    };

    it('turns a live access token into its session principal, every time it is asked', async () => {
      for (let i = 0; i < 2; i++) expect(await under.authenticator.authenticateToken(accessToken)).toEqual(session);
      expect(session).toMatchObject({ method: 'session', permissions: ['view', 'trade'] });
    });

    it('refuses a forged token, a token of a logged-out session and its principal', async () => {
      for (let i = 0; i < 2; i++) expect(await code(under.authenticator.authenticateToken(`${accessToken}x`))).toBe('AUTH.INVALID_TOKEN unauthenticated');
      expect(await under.authenticator.isStillValid(session)).toBe(true);
      await under.fx.accounts.logOut(session);
      under.fx.clock.advance(under.staleForMs);
      expect(await code(under.authenticator.authenticateToken(accessToken))).toBe('AUTH.SESSION_ENDED unauthenticated');
      expect(await under.authenticator.isStillValid(session)).toBe(false);
    });

    it('accepts a signed request, again within the window, with the key owner and its permissions, and refuses a wrong passphrase', async () => {
      const credentials = await under.fx.apiKeys.create(session, { permissions: ['view'] });
      const request = signed(credentials);
      const principal = await under.authenticator.authenticateSignature(request);
      expect(principal).toEqual({ method: 'api_key', userId: session.userId, apiKeyId: (credentials as { id?: string }).id, permissions: ['view'] });
      expect(await under.authenticator.authenticateSignature(request)).toEqual(principal);
      expect(await code(under.authenticator.authenticateSignature(signed(credentials, { passphrase: 'guess' })))).toBe('AUTH.INVALID_API_KEY unauthenticated');

      expect(await under.authenticator.isStillValid(principal)).toBe(true);
      await under.fx.apiKeys.delete(session, (credentials as { id?: string }).id!);
      under.fx.clock.advance(under.staleForMs);
      expect(await under.authenticator.isStillValid(principal)).toBe(false);
    });
  });
}
