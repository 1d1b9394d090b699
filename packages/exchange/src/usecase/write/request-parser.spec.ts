import type { ExchangeRequest, PlaceOrderRequest } from '@sd/domain/exchange/command';
import type { RejectionCode } from '@sd/domain/exchange/rejection';
import { DEFAULT_CURRENCIES, DEFAULT_PRODUCTS } from '../core/catalog/default-products';
import { ProductCatalog } from '../core/catalog/product-catalog';
import { RequestParser } from './request-parser';
import { Prng } from '../../testing/prng';
import Big from 'big.js';

const parser = new RequestParser(new ProductCatalog(DEFAULT_CURRENCIES, DEFAULT_PRODUCTS));
const limit = (fields: Partial<PlaceOrderRequest> = {}): PlaceOrderRequest => ({
  type: 'place', userId: 'u', productId: 'BTC-USDT', side: 'buy', orderType: 'limit', price: '20000.01', size: '0.0002', ...fields,
});

describe('RequestParser', () => {
  it('turns decimal strings into ticks, lots and minor units exactly', () => {
    expect(parser.parse(limit({ clientOid: 'c1', timeInForce: 'IOC', stp: 'cn' })).command).toEqual({
      type: 'place', userId: 'u', productId: 'BTC-USDT', side: 'buy', orderType: 'limit',
      price: 2_000_001, size: 2, funds: 0, timeInForce: 'IOC', postOnly: false, stp: 'cn', clientOid: 'c1',
    });
    expect(parser.parse({ type: 'place', userId: 'u', productId: 'BTC-USDT', side: 'buy', orderType: 'market', funds: '10.5' }).command).toMatchObject({
      orderType: 'market', price: 0, size: 0, funds: 10_500_000, timeInForce: 'IOC',
    });
    // 0.1 + 0.2 is exact here, not 0.30000000000000004.
    expect(parser.parse({ type: 'deposit', userId: 'u', currency: 'BTC', amount: '0.30000000' }).command).toMatchObject({ amount: 30_000_000 });
    expect(parser.parse({ type: 'cancel', userId: 'u', orderId: '42' }).command).toEqual({ type: 'cancel', userId: 'u', orderId: 42 });
  });

  it.each<[RejectionCode, ExchangeRequest]>([
    ['UNKNOWN_PRODUCT', limit({ productId: 'DOGE-USDT' })],
    ['INVALID_PRICE', limit({ price: '-1' })],
    ['INVALID_PRICE', limit({ price: '0' })],
    ['INVALID_PRICE', limit({ price: '1e5' })],
    ['INVALID_PRICE', limit({ price: undefined })],
    ['INVALID_PRICE_INCREMENT', limit({ price: '20000.001' })],
    ['INVALID_SIZE', limit({ size: 'abc' })],
    ['INVALID_SIZE_INCREMENT', limit({ size: '0.00011' })],
    ['ORDER_TOO_LARGE', limit({ size: '99999999999999999999' })],
    ['INVALID_ARGUMENT', limit({ funds: '10' })],
    ['INVALID_ARGUMENT', limit({ postOnly: true, timeInForce: 'FOK' })],
    ['INVALID_ARGUMENT', limit({ side: 'short' as 'buy' })],
    ['INVALID_ARGUMENT', limit({ stp: 'xx' as 'dc' })],
    ['INVALID_ARGUMENT', limit({ clientOid: '' })],
    ['INVALID_ARGUMENT', limit({ userId: 'x'.repeat(129) })],
    ['INVALID_ARGUMENT', { ...limit(), orderType: 'market', price: '1' }],
    ['INVALID_ARGUMENT', { type: 'place', userId: 'u', productId: 'BTC-USDT', side: 'sell', orderType: 'market', funds: '10' }],
    ['INVALID_ARGUMENT', { type: 'place', userId: 'u', productId: 'BTC-USDT', side: 'buy', orderType: 'market', funds: '10', size: '1' }],
    ['INVALID_FUNDS', { type: 'place', userId: 'u', productId: 'BTC-USDT', side: 'buy', orderType: 'market', funds: '0.0000001' }],
    ['INVALID_SIZE', { type: 'place', userId: 'u', productId: 'BTC-USDT', side: 'sell', orderType: 'market' }],
    ['ORDER_NOT_FOUND', { type: 'cancel', userId: 'u', orderId: 'abc' }],
    ['ORDER_NOT_FOUND', { type: 'cancel', userId: 'u', orderId: '99999999999999999' }],
    ['UNKNOWN_PRODUCT', { type: 'cancel_all', userId: 'u', productId: 'DOGE-USDT' }],
    ['UNKNOWN_CURRENCY', { type: 'deposit', userId: 'u', currency: 'DOGE', amount: '1' }],
    ['INVALID_AMOUNT', { type: 'deposit', userId: 'u', currency: 'BTC', amount: '0' }],
    ['INVALID_AMOUNT', { type: 'withdraw', userId: 'u', currency: 'BTC', amount: '0.000000001' }],
    ['AMOUNT_TOO_LARGE', { type: 'deposit', userId: 'u', currency: 'BTC', amount: '100000000000' }],
    ['INVALID_ARGUMENT', { type: 'transfer', fromUserId: 'u', toUserId: 'u', currency: 'BTC', amount: '1' }],
  ])('%s for %j', (code, request) => {
    const result = parser.parse(request);
    expect(result.command).toBeNull();
    expect(result.rejection?.code).toBe(code);
    expect(result.rejection?.message.length).toBeGreaterThan(10);
  });

  it('turns decimals into steps exactly as big.js arithmetic does, on every power-of-ten and other increment', () => {
    const prng = new Prng(7);
    const digits = (n: number): string => Array.from({ length: n }, () => String(prng.int(0, 9))).join('');
    const catalog = (priceIncrement: string): RequestParser =>
      new RequestParser(new ProductCatalog(DEFAULT_CURRENCIES, DEFAULT_PRODUCTS.map((p) => (p.id === 'BTC-USDT' ? { ...p, priceIncrement } : p))));
    for (const increment of ['0.01', '1', '100', '0.05', '2.5']) {
      const parserFor = catalog(increment);
      const step = new Big(increment);
      for (let i = 0; i < 2000; i++) {
        const price = `${digits(prng.int(1, 17))}${prng.int(0, 2) === 0 ? '' : `.${digits(prng.int(1, 10))}`}`;
        const value = new Big(price);
        const expected = value.lte(0)
          ? 'INVALID_PRICE'
          : !value.mod(step).eq(0)
            ? 'INVALID_PRICE_INCREMENT'
            : value.div(step).gt(Number.MAX_SAFE_INTEGER)
              ? 'ORDER_TOO_LARGE'
              : value.div(step).toNumber();
        const result = parserFor.parse(limit({ price, size: '0.0001' }));
        expect([price, result.command === null ? result.rejection?.code : (result.command as { price: number }).price]).toEqual([price, expected]);
      }
    }
  });
});
