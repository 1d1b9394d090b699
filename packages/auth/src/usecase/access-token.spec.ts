import { randomBytes } from 'node:crypto';
import { AccessTokenCodec } from './access-token';

describe('AccessTokenCodec', () => {
  const codec = new AccessTokenCodec(randomBytes(32));
  const now = 1_800_000_000_000;
  const issued = codec.issue({ userId: 'u1', sessionId: 's1', issuedAtMs: now, ttlSeconds: 900 });

  it('issues an HS256 JWT whose claims verify until expiry', () => {
    const [header, payload] = issued.token.split('.');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(JSON.parse(Buffer.from(payload!, 'base64url').toString())).toEqual({ sub: 'u1', sid: 's1', iat: now / 1000, exp: now / 1000 + 900 });
    expect(codec.verify(issued.token, now + 899_999)).toEqual({ userId: 'u1', sessionId: 's1', expiresAt: now / 1000 + 900 });
  });

  it('refuses an expired token', () => {
    expect(() => codec.verify(issued.token, now + 900_000)).toThrow(expect.objectContaining({ code: 'AUTH.TOKEN_EXPIRED' }));
  });

  it('refuses tokens signed with another key, altered, or unsigned', () => {
    const other = new AccessTokenCodec(randomBytes(32)).issue({ userId: 'u1', sessionId: 's1', issuedAtMs: now, ttlSeconds: 900 });
    const [header, , signature] = issued.token.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ sub: 'u2', sid: 's1', iat: now / 1000, exp: now / 1000 + 900 })).toString('base64url');
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    for (const token of [other.token, `${header}.${forgedPayload}.${signature}`, `${none}.${forgedPayload}.`, 'garbage', '', 'a.b.c', 'x'.repeat(5000)]) {
      expect(() => codec.verify(token, now)).toThrow(expect.objectContaining({ code: 'AUTH.INVALID_TOKEN' }));
    }
  });
});
