import type { Authenticator, SignedRequest } from '@sd/domain/auth/authenticator';
import { authErrors } from '@sd/domain/auth/errors';
import type { Principal } from '@sd/domain/auth/principal';
import type { Cache } from '@sd/domain/cache';
import { DomainError } from '@sd/domain/errors';
import { sha256Hex } from '../../usecase/tokens';
import {
  AUTH_SERVICE_PATHS,
  principalFromJson,
  principalJson,
  signatureRequestJson,
  type RefusalJson,
  type ValidityJson,
  type VerificationJson,
} from '../../wire/auth-service';

export interface RemoteAuthenticatorOptions {
  /** The user service's base URL, e.g. `http://user:8081`. */
  url: string;
  /** Longest wait for an answer; past it the caller gets `AUTH.UNAVAILABLE`. */
  timeoutMs: number;
  /**
   * How long an answer about a token or a principal is reused (0: never). A session revoked
   * on the user service is still accepted here for at most this long.
   */
  cacheTtlMs: number;
}

/**
 * The `Authenticator` of a service that does not hold the accounts: it asks the user service
 * (see `wire/auth-service`), waits a bounded time, and remembers answers briefly in `cache`
 * (an in-process cache: the point is to skip the network). Concurrent checks of one token
 * share one request. Signatures are never cached: each is single-use, checked by the service.
 * When the service cannot answer, every method throws `AUTH.UNAVAILABLE` (HTTP 503).
 */
export class RemoteAuthenticator implements Authenticator {
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(
    private readonly options: RemoteAuthenticatorOptions,
    private readonly cache: Cache,
  ) {}

  async authenticateToken(accessToken: string): Promise<Principal> {
    const answer = await this.cached(`token:${sha256Hex(accessToken)}`, () => this.post(AUTH_SERVICE_PATHS.token, { access_token: accessToken }));
    return verified(JSON.parse(answer) as VerificationJson);
  }

  async authenticateSignature(request: SignedRequest): Promise<Principal> {
    return verified(JSON.parse(await this.post(AUTH_SERVICE_PATHS.signature, signatureRequestJson(request))) as VerificationJson);
  }

  async isStillValid(principal: Principal): Promise<boolean> {
    const id = principal.method === 'session' ? `session:${principal.sessionId}` : `api_key:${principal.apiKeyId}`;
    const answer = await this.cached(`valid:${id}`, () => this.post(AUTH_SERVICE_PATHS.principal, principalJson(principal)));
    const { valid } = JSON.parse(answer) as ValidityJson;
    if (typeof valid !== 'boolean') throw new Error('auth service: malformed validity answer');
    return valid;
  }

  /** Resolves when the user service answers its liveness route within the timeout (readiness). */
  async ping(): Promise<void> {
    const response = await fetch(new URL('/api/health/live', this.options.url), { signal: AbortSignal.timeout(this.options.timeoutMs) });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`auth service answered ${response.status}`);
  }

  private async cached(key: string, fetchAnswer: () => Promise<string>): Promise<string> {
    if (this.options.cacheTtlMs > 0) {
      const hit = await this.cache.get(key);
      if (hit !== null) return hit;
    }
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = fetchAnswer().finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    const answer = await pending;
    if (this.options.cacheTtlMs > 0) await this.cache.set(key, answer, { ttlMs: this.options.cacheTtlMs });
    return answer;
  }

  /** The answer's body; `AUTH.UNAVAILABLE` when the service is down, slow or failing. */
  private async post(path: string, body: unknown): Promise<string> {
    let response: Response;
    let text: string;
    try {
      response = await fetch(new URL(path, this.options.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw authErrors.unavailable(error);
    }
    if (response.status >= 500) throw authErrors.unavailable(new Error(`auth service answered ${response.status}: ${text.slice(0, 200)}`));
    // A 4xx means this client sent what the service does not take: a bug here, not an outage.
    if (response.status !== 200) throw new Error(`auth service refused the request with ${response.status}: ${text.slice(0, 200)}`);
    return text;
  }
}

function verified(answer: VerificationJson): Principal {
  if ('error' in answer) throw refusal(answer.error);
  const principal = principalFromJson(answer.principal);
  if (!principal) throw new Error('auth service: malformed principal');
  return principal;
}

function refusal(error: RefusalJson): DomainError {
  return new DomainError(String(error.code), error.kind, String(error.message));
}
