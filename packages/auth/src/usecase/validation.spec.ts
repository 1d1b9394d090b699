import { parseApiKeyRequest, parseCredentials, parseRefreshToken } from './validation';

const invalid = (message: string | RegExp) => expect.objectContaining({ code: 'VALIDATION.INVALID_INPUT', kind: 'invalid', message: expect.stringMatching(message) });

describe('input validation', () => {
  it('normalizes a valid sign-up', () => {
    expect(parseCredentials({ email: '  Alice@Example.COM ', password: 'abcdefg1' }, { forSignUp: true })).toEqual({
      email: 'alice@example.com',
      password: 'abcdefg1',
    });
  });

  it.each([
    [undefined, /JSON object/],
    [null, /JSON object/],
    [['a'], /JSON object/],
    ['text', /JSON object/],
    [{}, /email is required/],
    [{ email: 'a@b.co' }, /password is required/],
    [{ email: 42, password: 'abcdefg1' }, /email must be a string/],
    [{ email: 'a@b.co', password: 12345678 }, /password must be a string/],
    [{ email: 'not-an-email', password: 'abcdefg1' }, /valid email/],
    [{ email: 'a@b', password: 'abcdefg1' }, /valid email/],
    [{ email: `${'a'.repeat(250)}@b.co`, password: 'abcdefg1' }, /valid email/],
    [{ email: 'a@b.co', password: 'abc12' }, /at least 8/],
    [{ email: 'a@b.co', password: 'abcdefgh' }, /two of/],
    [{ email: 'a@b.co', password: '12345678' }, /two of/],
    [{ email: 'a@b.co', password: 'a1'.repeat(65) }, /at most 128/],
  ])('refuses sign-up body %p', (body, message) => {
    expect(() => parseCredentials(body, { forSignUp: true })).toThrow(invalid(message));
  });

  it('counts characters, not UTF-16 units, for the length limits', () => {
    expect(parseCredentials({ email: 'a@b.co', password: '😀'.repeat(127) + 'a' }, { forSignUp: true }).password).toHaveLength(255);
    expect(() => parseCredentials({ email: 'a@b.co', password: '😀😀😀a' }, { forSignUp: true })).toThrow(invalid(/at least 8/));
  });

  it('does not apply the strength policy at log-in, only the size bound', () => {
    expect(parseCredentials({ email: 'a@b.co', password: 'weak' }, { forSignUp: false }).password).toBe('weak');
    expect(() => parseCredentials({ email: 'a@b.co', password: 'x'.repeat(129) }, { forSignUp: false })).toThrow(invalid(/at most 128/));
  });

  it('reads refresh tokens and API key requests', () => {
    expect(parseRefreshToken({ refresh_token: 'rt_x' })).toBe('rt_x');
    expect(() => parseRefreshToken({})).toThrow(invalid(/refresh_token is required/));
    expect(() => parseRefreshToken({ refresh_token: 'x'.repeat(300) })).toThrow(invalid(/too long/));
    expect(parseApiKeyRequest(undefined)).toEqual({ permissions: ['view'], label: '' });
    expect(parseApiKeyRequest({ permissions: ['trade', 'view', 'trade'], label: ' bot ' })).toEqual({ permissions: ['view', 'trade'], label: 'bot' });
    for (const permissions of [[], ['admin'], 'trade', [1]]) expect(() => parseApiKeyRequest({ permissions })).toThrow(invalid(/permissions/));
    expect(() => parseApiKeyRequest({ label: 'x'.repeat(65) })).toThrow(invalid(/label/));
    expect(() => parseApiKeyRequest({ label: 'bad\u0000label' })).toThrow(invalid(/label/));
  });
});
