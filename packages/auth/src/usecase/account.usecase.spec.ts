import { createAuthFixture, type AuthFixture } from '../testing/auth-fixture';

describe('AccountUseCase', () => {
  let fx: AuthFixture;
  beforeEach(async () => {
    fx = await createAuthFixture({ accessTokenTtlSeconds: 60, refreshTokenTtlSeconds: 3600 });
    await fx.accounts.signUp({ email: 'bob@example.com', password: 'Password1' });
  });
  afterEach(() => fx.close());
  const logIn = () => fx.accounts.logIn({ email: 'bob@example.com', password: 'Password1' });
  const code = (promise: Promise<unknown>) => promise.then(() => 'accepted', (error: { code?: string }) => error.code);

  it('stores a scrypt hash, never the password', async () => {
    const [row] = await fx.db.dataSource.query('SELECT * FROM auth_users');
    expect(JSON.stringify(row)).not.toContain('Password1');
    expect(row.password_hash).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$/);
  });

  it('expires access tokens and ends sessions after the refresh lifetime', async () => {
    const pair = await logIn();
    fx.clock.advance(59_000);
    expect(await code(fx.authenticator.authenticateToken(pair.accessToken))).toBe('accepted');
    fx.clock.advance(1_000);
    expect(await code(fx.authenticator.authenticateToken(pair.accessToken))).toBe('AUTH.TOKEN_EXPIRED');
    fx.clock.advance(3_600_000);
    expect(await code(fx.accounts.refresh({ refresh_token: pair.refreshToken }))).toBe('AUTH.INVALID_REFRESH_TOKEN');
  });

  it('slides the session on refresh, so an active user stays logged in', async () => {
    let pair = await logIn();
    for (let i = 0; i < 3; i++) {
      fx.clock.advance(3_000_000);
      pair = await fx.accounts.refresh({ refresh_token: pair.refreshToken });
    }
    expect(await code(fx.authenticator.authenticateToken(pair.accessToken))).toBe('accepted');
  });

  it('revokes the session when two refreshes race with one token', async () => {
    const pair = await logIn();
    const results = await Promise.all([1, 2].map(() => code(fx.accounts.refresh({ refresh_token: pair.refreshToken }))));
    expect(results.sort()).toEqual(['AUTH.REFRESH_TOKEN_REUSED', 'accepted']);
    expect(await code(fx.authenticator.authenticateToken(pair.accessToken))).toBe('AUTH.SESSION_ENDED');
  });

  it('does not revoke anything for a refresh token it never issued', async () => {
    const pair = await logIn();
    expect(await code(fx.accounts.refresh({ refresh_token: 'rt_forged' }))).toBe('AUTH.INVALID_REFRESH_TOKEN');
    expect(await code(fx.authenticator.authenticateToken(pair.accessToken))).toBe('accepted');
  });

  it('keeps other sessions of the same user alive on log-out', async () => {
    const [laptop, phone] = [await logIn(), await logIn()];
    await fx.accounts.logOut(await fx.authenticator.authenticateToken(laptop.accessToken));
    expect(await code(fx.authenticator.authenticateToken(laptop.accessToken))).toBe('AUTH.SESSION_ENDED');
    expect(await code(fx.authenticator.authenticateToken(phone.accessToken))).toBe('accepted');
  });

  it('changes the password only with the current one, and only to one that meets the policy', async () => {
    const principal = await fx.authenticator.authenticateToken((await logIn()).accessToken);
    expect(await code(fx.accounts.changePassword(principal, { currentPassword: 'Wrong1234', newPassword: 'Newpass99' }))).toBe('AUTH.WRONG_PASSWORD');
    expect(await code(fx.accounts.changePassword(principal, { currentPassword: 'Password1', newPassword: 'short' }))).toBe('VALIDATION.INVALID_INPUT');
    expect(await code(fx.accounts.changePassword(principal, { currentPassword: 'Password1', newPassword: 'Password1' }))).toBe('VALIDATION.INVALID_INPUT');
    await fx.accounts.changePassword(principal, { currentPassword: 'Password1', newPassword: 'Newpass99' });
    expect(await code(logIn())).toBe('AUTH.INVALID_CREDENTIALS');
    expect(await code(fx.accounts.logIn({ email: 'bob@example.com', password: 'Newpass99' }))).toBe('accepted');
  });

  it('sets and clears the display name and avatar URL, refusing what is not text or an http(s) URL', async () => {
    const principal = await fx.authenticator.authenticateToken((await logIn()).accessToken);
    expect(await fx.accounts.currentUser(principal)).toMatchObject({ name: null, profilePhotoUrl: null });
    expect(await fx.accounts.updateProfile(principal, { name: '  Bob  ' })).toMatchObject({ name: 'Bob', profilePhotoUrl: null });
    expect(await fx.accounts.updateProfile(principal, { profilePhotoUrl: 'https://example.com/bob.png' })).toMatchObject({ name: 'Bob', profilePhotoUrl: 'https://example.com/bob.png' });
    for (const body of [{ profilePhotoUrl: 'javascript:alert(1)' }, { name: 'x'.repeat(65) }, { name: 3 }, {}]) {
      expect(await code(fx.accounts.updateProfile(principal, body))).toBe('VALIDATION.INVALID_INPUT');
    }
    expect(await fx.accounts.updateProfile(principal, { name: '', profilePhotoUrl: '' })).toMatchObject({ name: null, profilePhotoUrl: null });
  });
});
