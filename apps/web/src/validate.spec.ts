import type { Product } from './types';
import { validateOrder, type OrderForm } from './validate';

const product: Product = {
  id: 'BTC-USDT',
  base_currency: 'BTC',
  quote_currency: 'USDT',
  quote_increment: '0.01',
  base_increment: '0.0001',
  base_min_size: '0.001',
  min_market_funds: '10',
  max_market_funds: '1000000',
  display_name: 'BTC/USDT',
  status: 'online',
  maker_fee_rate: '0.001',
  taker_fee_rate: '0.002',
};

const limit: OrderForm = { side: 'buy', type: 'limit', price: '100.25', size: '0.5', funds: '', amount: 'size', timeInForce: 'GTC', postOnly: false };

describe('validateOrder', () => {
  it('builds the request body of a valid limit order with the values normalised', () => {
    expect(validateOrder(product, { ...limit, price: ' 100.250 ', size: '0.50', postOnly: true })).toEqual({
      ok: true,
      body: { product_id: 'BTC-USDT', side: 'buy', type: 'limit', price: '100.25', size: '0.5', time_in_force: 'GTC', post_only: true },
    });
  });

  it.each([
    [{ price: '' }, 'price', 'Enter a price.'],
    [{ price: '1e3' }, 'price', 'Price must be a plain decimal number such as 12.5, not "1e3".'],
    [{ price: '-5' }, 'price', 'Price must be a plain decimal number such as 12.5, not "-5".'],
    [{ price: '0' }, 'price', 'Price must be greater than zero.'],
    [{ price: '100.255' }, 'price', 'Price must be a multiple of 0.01 USDT.'],
    [{ size: '0.00015' }, 'size', 'Size must be a multiple of 0.0001 BTC.'],
    [{ size: '0.0009' }, 'size', 'Size must be at least 0.001 BTC.'],
    [{ postOnly: true, timeInForce: 'IOC' as const }, 'postOnly', 'Post-only needs time in force GTC: an IOC or FOK order never rests on the book.'],
  ])('refuses %j with a message on %s', (change, field, message) => {
    expect(validateOrder(product, { ...limit, ...change })).toEqual({ ok: false, field, message });
  });

  it('checks increments exactly, where binary floats would not (0.3 is a multiple of 0.1)', () => {
    const tenths = { ...product, quote_increment: '0.1' };
    expect(validateOrder(tenths, { ...limit, price: '0.3' }).ok).toBe(true);
    expect(validateOrder(tenths, { ...limit, price: '0.35' }).ok).toBe(false);
  });

  it('sends a market order by size without price, time in force or post-only', () => {
    expect(validateOrder(product, { ...limit, type: 'market', side: 'sell', price: 'ignored', postOnly: true, timeInForce: 'FOK' })).toEqual({
      ok: true,
      body: { product_id: 'BTC-USDT', side: 'sell', type: 'market', size: '0.5' },
    });
  });

  it('sends a market order by funds within the product limits', () => {
    const market: OrderForm = { ...limit, type: 'market', amount: 'funds', size: '', funds: '25.5' };
    expect(validateOrder(product, market)).toEqual({ ok: true, body: { product_id: 'BTC-USDT', side: 'buy', type: 'market', funds: '25.5' } });
    expect(validateOrder(product, { ...market, funds: '9.99' })).toEqual({ ok: false, field: 'funds', message: 'Funds must be at least 10 USDT.' });
    expect(validateOrder(product, { ...market, funds: '1000000.01' })).toEqual({ ok: false, field: 'funds', message: 'Funds must be at most 1000000 USDT.' });
    expect(validateOrder(product, { ...market, funds: '10.001' })).toEqual({ ok: false, field: 'funds', message: 'Funds must be a multiple of 0.01 USDT.' });
  });
});

describe('validateOrder: the product status', () => {
  const market: OrderForm = { ...limit, type: 'market', amount: 'size', size: '0.5' };

  it('refuses every order on a cancel-only or delisted product', () => {
    expect(validateOrder({ ...product, status: 'cancel_only' }, limit)).toMatchObject({ ok: false, field: 'product', message: expect.stringMatching(/cancel-only/) });
    expect(validateOrder({ ...product, status: 'delisted' }, limit)).toMatchObject({ ok: false, field: 'product', message: expect.stringMatching(/delisted/) });
  });

  it('refuses market orders on a limit-only product', () => {
    expect(validateOrder({ ...product, status: 'limit_only' }, market)).toMatchObject({ ok: false, field: 'type' });
    expect(validateOrder({ ...product, status: 'limit_only' }, limit).ok).toBe(true);
  });

  it('takes only post-only limit orders on a post-only product', () => {
    const postOnly = { ...product, status: 'post_only' };
    expect(validateOrder(postOnly, market)).toMatchObject({ ok: false, field: 'type' });
    expect(validateOrder(postOnly, limit)).toMatchObject({ ok: false, field: 'postOnly' });
    expect(validateOrder(postOnly, { ...limit, postOnly: true }).ok).toBe(true);
  });
});
