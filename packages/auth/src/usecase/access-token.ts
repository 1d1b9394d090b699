import { createHmac, timingSafeEqual } from 'node:crypto';
import { authErrors } from '@sd/domain/auth/errors';

export interface AccessTokenClaims {
  userId: string;
  sessionId: string;
  /** Epoch seconds. */
  expiresAt: number;
}

const HEADER = b64url(Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })));
const SEGMENT = /^[A-Za-z0-9_-]+$/;
const MAX_TOKEN_LENGTH = 1024;
/** Bound of the verified-token memo; it starts over when full. */
const MAX_VERIFIED_TOKENS = 10_000;

/**
 * Access tokens are compact JWTs signed with HMAC-SHA256 (`alg` is fixed to HS256; the header
 * is not trusted): claims `sub` (user id), `sid` (session id), `iat`, `exp` (epoch seconds).
 * The signature and expiry are checked here; the session behind `sid` is checked in the store
 * on every request by the authenticator.
 */
export class AccessTokenCodec {
  /** Tokens whose signature already checked out: a client sends the same one for its whole life. */
  private readonly verified = new Map<string, Readonly<AccessTokenClaims>>();

  constructor(private readonly key: Uint8Array) {}

  issue(claims: { userId: string; sessionId: string; issuedAtMs: number; ttlSeconds: number }): { token: string; expiresAt: number } {
    const iat = Math.floor(claims.issuedAtMs / 1000);
    const exp = iat + claims.ttlSeconds;
    const payload = b64url(Buffer.from(JSON.stringify({ sub: claims.userId, sid: claims.sessionId, iat, exp })));
    return { token: `${HEADER}.${payload}.${this.sign(`${HEADER}.${payload}`)}`, expiresAt: exp };
  }

  /** The claims of a genuine, unexpired token; otherwise throws AUTH.INVALID_TOKEN or AUTH.TOKEN_EXPIRED. */
  verify(token: string, nowMs: number): Readonly<AccessTokenClaims> {
    let claims = this.verified.get(token);
    if (claims === undefined) {
      claims = Object.freeze(this.check(token));
      if (this.verified.size >= MAX_VERIFIED_TOKENS) this.verified.clear();
      this.verified.set(token, claims);
    }
    if (claims.expiresAt * 1000 <= nowMs) throw authErrors.tokenExpired();
    return claims;
  }

  /** Signature and claim shapes, not expiry. */
  private check(token: string): AccessTokenClaims {
    if (token.length > MAX_TOKEN_LENGTH) throw authErrors.invalidToken();
    const parts = token.split('.');
    if (parts.length !== 3 || !parts.every((part) => SEGMENT.test(part))) throw authErrors.invalidToken();
    const [header, payload, signature] = parts as [string, string, string];
    const expected = Buffer.from(this.sign(`${header}.${payload}`), 'base64url');
    const actual = Buffer.from(signature, 'base64url');
    if (header !== HEADER || actual.length !== expected.length || !timingSafeEqual(actual, expected)) throw authErrors.invalidToken();
    let claims: { sub?: unknown; sid?: unknown; exp?: unknown };
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof claims;
    } catch {
      throw authErrors.invalidToken();
    }
    if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string' || typeof claims.exp !== 'number') throw authErrors.invalidToken();
    return { userId: claims.sub, sessionId: claims.sid, expiresAt: claims.exp };
  }

  private sign(input: string): string {
    return createHmac('sha256', this.key).update(input).digest('base64url');
  }
}

function b64url(bytes: Buffer): string {
  return bytes.toString('base64url');
}
