import type { IncomingHttpHeaders } from 'node:http';
import { WEBSOCKET_VERIFY_PATH, type Authenticator } from '@sd/domain/auth/authenticator';
import { authErrors } from '@sd/domain/auth/errors';
import type { Principal } from '@sd/domain/auth/principal';
import { isDomainError, type DomainError } from '@sd/domain/errors';
import { accessTokenOf, assertSameOrigin } from './authenticate';

export type WebSocketAuthResult = { ok: true; principal: Principal } | { ok: false; error: DomainError };

/**
 * Authenticates a WebSocket client, Coinbase-Exchange style: a subscribe message carrying
 * `key`, `passphrase`, `timestamp` and `signature` over `timestamp + 'GET' + '/users/self/verify'`;
 * else a `token` field in the message; else the upgrade request's bearer header or
 * `accessToken` cookie. Returns the principal or the typed error (never throws one), so the
 * caller can answer with an error frame. Long-lived connections should re-check
 * `Authenticator.isStillValid` from time to time.
 */
export async function authenticateWebSocket(
  authenticator: Authenticator,
  input: { message?: unknown; headers?: IncomingHttpHeaders },
): Promise<WebSocketAuthResult> {
  try {
    const message = typeof input.message === 'object' && input.message !== null ? (input.message as Record<string, unknown>) : {};
    if (message.signature !== undefined || message.key !== undefined) {
      const field = (name: string): string => {
        const value = message[name];
        if (typeof value !== 'string' || value === '') throw authErrors.invalidSignature();
        return value;
      };
      const principal = await authenticator.authenticateSignature({
        key: field('key'),
        signature: field('signature'),
        timestamp: field('timestamp'),
        passphrase: field('passphrase'),
        method: 'GET',
        requestPath: WEBSOCKET_VERIFY_PATH,
        body: '',
      });
      return { ok: true, principal };
    }
    const token = typeof message.token === 'string' ? message.token : input.headers ? accessTokenOf(input.headers) : undefined;
    if (token === undefined) throw authErrors.unauthenticated();
    // The upgrade's cookie would let a page of another site read this user's private channels.
    if (typeof message.token !== 'string' && input.headers?.authorization === undefined) assertSameOrigin(input.headers!);
    return { ok: true, principal: await authenticator.authenticateToken(token) };
  } catch (error) {
    if (isDomainError(error)) return { ok: false, error };
    throw error;
  }
}
