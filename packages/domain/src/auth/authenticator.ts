import type { Principal } from './principal';

/**
 * Turns credentials into a principal, or throws a DomainError of kind `unauthenticated`.
 * Transport-agnostic: HTTP middleware and WebSocket handlers of any app call it.
 */
export interface Authenticator {
  /** An access token (bearer header or cookie); its session must still be live in the shared store. */
  authenticateToken(accessToken: string): Promise<Principal>;
  /** A Coinbase-Exchange signed request: fresh timestamp, valid passphrase and signature, never seen before. */
  authenticateSignature(request: SignedRequest): Promise<Principal>;
  /** True while the session or API key behind `principal` stands; long-lived connections re-check with it. */
  isStillValid(principal: Principal): Promise<boolean>;
}

export const Authenticator = Symbol.for('sd.auth.Authenticator');

/** What a Coinbase-Exchange WebSocket subscribe message signs, with method GET and no body. */
export const WEBSOCKET_VERIFY_PATH = '/users/self/verify';

export interface SignedRequest {
  /** CB-ACCESS-KEY */
  key: string;
  /** CB-ACCESS-SIGN: base64(HMAC-SHA256(base64-decoded secret, timestamp + method + requestPath + body)). */
  signature: string;
  /** CB-ACCESS-TIMESTAMP: seconds since the epoch, decimals allowed. */
  timestamp: string;
  /** CB-ACCESS-PASSPHRASE */
  passphrase: string;
  /** Upper case, as signed. */
  method: string;
  /** Path and query string as sent, e.g. `/api/orders?status=open`. */
  requestPath: string;
  /** The request body as sent; empty when there is none. */
  body: string;
}
