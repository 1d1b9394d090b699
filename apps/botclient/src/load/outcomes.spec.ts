import { classify, Tally } from './outcomes';

describe('classify', () => {
  it('separates success, expected business rejections and errors', () => {
    expect(classify(200, '')).toEqual({ kind: 'ok' });
    expect(classify(201, '')).toEqual({ kind: 'ok' });
    expect(classify(404, '{"message":"order not found, or Order already done","code":"EXCHANGE.ORDER_NOT_FOUND"}')).toEqual({
      kind: 'rejected',
      code: 'EXCHANGE.ORDER_NOT_FOUND',
    });
    expect(classify(400, '{"message":"Insufficient funds","code":"EXCHANGE.INSUFFICIENT_FUNDS"}')).toEqual({ kind: 'rejected', code: 'EXCHANGE.INSUFFICIENT_FUNDS' });
  });

  it('counts a malformed order, a rate limit, a server failure or an unreadable body as an error', () => {
    expect(classify(400, '{"message":"x","code":"EXCHANGE.INVALID_PRICE_INCREMENT"}')).toEqual({ kind: 'error', label: '400 EXCHANGE.INVALID_PRICE_INCREMENT' });
    expect(classify(429, '{"message":"slow down","code":"RATE_LIMIT.EXCEEDED"}')).toEqual({ kind: 'error', label: '429 RATE_LIMIT.EXCEEDED' });
    expect(classify(500, '{"message":"internal error","code":"INTERNAL"}')).toEqual({ kind: 'error', label: '500 INTERNAL' });
    expect(classify(502, '<html>bad gateway</html>')).toEqual({ kind: 'error', label: '502' });
    expect(classify(503, '{"message":"x","code":"EXCHANGE.ORDER_NOT_FOUND"}')).toEqual({ kind: 'error', label: '503 EXCHANGE.ORDER_NOT_FOUND' });
  });
});

describe('Tally', () => {
  it('counts per label, most frequent first', () => {
    const tally = new Tally();
    for (const label of ['a', 'b', 'b', 'c', 'b', 'c']) tally.add(label);
    expect(tally.total).toBe(6);
    expect(tally.entries()).toEqual([['b', 3], ['c', 2], ['a', 1]]);
  });
});
