import { createHmac } from 'node:crypto';

/**
 * CB-ACCESS-SIGN: base64(HMAC-SHA256(base64-decoded secret, timestamp + METHOD + requestPath + body)).
 * `requestPath` includes the query string; `timestamp` is the header's exact text.
 */
export function coinbaseSignature(
  secretBase64: string,
  request: { timestamp: string; method: string; requestPath: string; body: string },
): string {
  return coinbaseDigest(Buffer.from(secretBase64, 'base64'), request).toString('base64');
}

export function coinbaseDigest(secret: Buffer, request: { timestamp: string; method: string; requestPath: string; body: string }): Buffer {
  return createHmac('sha256', secret)
    .update(`${request.timestamp}${request.method.toUpperCase()}${request.requestPath}${request.body}`)
    .digest();
}
