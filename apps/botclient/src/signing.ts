import { createHmac } from 'node:crypto';

export interface ApiKey {
  key: string;
  /** Base64, as the exchange showed it once at creation. */
  secret: string;
  passphrase: string;
}

/**
 * The CB-ACCESS-* headers of a Coinbase-Exchange request, written from Coinbase's
 * documentation rather than borrowed from the server, so a passing run shows that an
 * independent Coinbase client is accepted: base64(HMAC-SHA256(base64-decoded secret,
 * timestamp + METHOD + requestPath (with query) + body)).
 */
export function coinbaseHeaders(
  apiKey: ApiKey,
  request: { method: string; requestPath: string; body: string; timestamp: string },
): Record<string, string> {
  const prehash = request.timestamp + request.method.toUpperCase() + request.requestPath + request.body;
  return {
    'cb-access-key': apiKey.key,
    'cb-access-sign': createHmac('sha256', Buffer.from(apiKey.secret, 'base64')).update(prehash).digest('base64'),
    'cb-access-timestamp': request.timestamp,
    'cb-access-passphrase': apiKey.passphrase,
  };
}

/** Seconds since the epoch with millisecond decimals, as Coinbase clients send it. */
export const coinbaseTimestamp = (nowMs: number = Date.now()): string => (nowMs / 1000).toFixed(3);
