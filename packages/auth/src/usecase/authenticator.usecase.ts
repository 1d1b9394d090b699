import { timingSafeEqual } from 'node:crypto';
import type { ApiKeyRepository } from '@sd/domain/auth/api-key';
import type { Authenticator, SignedRequest } from '@sd/domain/auth/authenticator';
import { authErrors } from '@sd/domain/auth/errors';
import type { Principal } from '@sd/domain/auth/principal';
import type { SessionRepository } from '@sd/domain/auth/session';
import type { AccessTokenCodec } from './access-token';
import type { AuthSettings, Clock } from './auth-settings';
import { coinbaseDigest } from './coinbase-signature';
import { SESSION_PERMISSIONS } from './permissions';
import type { SecretBox } from './secret-box';
import { sha256Hex } from './tokens';

const KEY = /^[A-Za-z0-9_-]{1,64}$/;
const TIMESTAMP = /^\d{1,12}(\.\d{1,9})?$/;
const SIGNATURE = /^[A-Za-z0-9+/_-]{20,100}={0,2}$/;
const PASSPHRASE_MAX = 128;

/**
 * Checks access tokens against the shared session store and Coinbase-Exchange signatures
 * against stored API keys. A signature is good within Coinbase's timestamp window and nothing
 * more: Coinbase clients sign with whole-second timestamps, so two identical requests in one
 * second carry the same signature and both must pass (a bot polling its balance, or placing
 * two equal orders). Replay safety for order entry is `client_oid` idempotency.
 */
export class CredentialAuthenticator implements Authenticator {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly apiKeys: ApiKeyRepository,
    private readonly tokens: AccessTokenCodec,
    private readonly box: SecretBox,
    private readonly settings: Pick<AuthSettings, 'signatureWindowSeconds'>,
    private readonly clock: Clock,
  ) {}

  async authenticateToken(accessToken: string): Promise<Principal> {
    const claims = this.tokens.verify(accessToken, this.clock());
    const session = await this.sessions.findById(claims.sessionId);
    if (!session || session.userId !== claims.userId || !this.isLive(session)) throw authErrors.sessionEnded();
    return { method: 'session', userId: session.userId, sessionId: session.id, permissions: SESSION_PERMISSIONS };
  }

  async authenticateSignature(request: SignedRequest): Promise<Principal> {
    const { key, signature, timestamp, passphrase } = request;
    if (!KEY.test(key) || typeof passphrase !== 'string' || passphrase.length > PASSPHRASE_MAX) throw authErrors.invalidApiKey();
    if (!SIGNATURE.test(signature)) throw authErrors.invalidSignature();
    const window = this.settings.signatureWindowSeconds;
    if (!TIMESTAMP.test(timestamp) || Math.abs(this.clock() / 1000 - Number(timestamp)) > window) throw authErrors.staleTimestamp(window);

    const apiKey = await this.apiKeys.findByKey(key);
    if (!apiKey || !equalHex(sha256Hex(passphrase), apiKey.passphraseHash)) throw authErrors.invalidApiKey();
    const secret = Buffer.from(this.box.open(apiKey.secretCiphertext, apiKey.id), 'base64');
    const expected = coinbaseDigest(secret, request);
    const actual = Buffer.from(signature, 'base64');
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) throw authErrors.invalidSignature();
    return { method: 'api_key', userId: apiKey.userId, apiKeyId: apiKey.id, permissions: apiKey.permissions };
  }

  async isStillValid(principal: Principal): Promise<boolean> {
    if (principal.method === 'session') {
      const session = await this.sessions.findById(principal.sessionId);
      return session !== null && this.isLive(session);
    }
    return (await this.apiKeys.findById(principal.apiKeyId)) !== null;
  }

  private isLive(session: { revokedAt: number | null; expiresAt: number }): boolean {
    return session.revokedAt === null && session.expiresAt > this.clock();
  }
}

function equalHex(a: string, b: string): boolean {
  const [x, y] = [Buffer.from(a, 'hex'), Buffer.from(b, 'hex')];
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}
