import { coinbaseSignature } from '@sd/auth/coinbase-signature';
import { coinbaseHeaders, coinbaseTimestamp } from './signing';

describe('coinbaseHeaders', () => {
  const apiKey = { key: 'a1b2c3', secret: Buffer.from('a secret of the exchange, 64 bytes long.........................').toString('base64'), passphrase: 'pass' };
  const request = { method: 'post', requestPath: '/api/orders?x=1', body: '{"product_id":"BTC-USDT","size":"0.01"}', timestamp: '1700000000.123' };

  it('signs exactly as the exchange verifies (packages/auth coinbase-signature)', () => {
    const headers = coinbaseHeaders(apiKey, request);
    expect(headers['cb-access-sign']).toBe(coinbaseSignature(apiKey.secret, request));
    expect(headers).toMatchObject({ 'cb-access-key': 'a1b2c3', 'cb-access-timestamp': '1700000000.123', 'cb-access-passphrase': 'pass' });
  });

  it('matches a fixed vector, so a change to either side is caught', () => {
    // HMAC-SHA256 over "1700000000.123POST/api/orders?x=1{...}" with the decoded secret.
    expect(coinbaseHeaders(apiKey, request)['cb-access-sign']).toBe(VECTOR);
    expect(coinbaseHeaders(apiKey, { ...request, body: '' })['cb-access-sign']).not.toBe(VECTOR);
    expect(coinbaseHeaders(apiKey, { ...request, requestPath: '/orders?x=1' })['cb-access-sign']).not.toBe(VECTOR);
  });

  it('stamps seconds with millisecond decimals', () => {
    expect(coinbaseTimestamp(1_700_000_000_123)).toBe('1700000000.123');
    expect(coinbaseTimestamp(1_700_000_000_000)).toBe('1700000000.000');
  });
});

const VECTOR = 'W1RwjaDwujEYBCXc0FUl2w1iMqAQo1LNY07hLBEUcOw=';
