import type { Product } from '@sd/domain/exchange/product';
import { EngineDriver, expectRejected, ofType } from '../../../testing/engine-driver';
import { limit } from '../../../testing/outcome-fixture';
import { stateHash } from '../../../testing/state-hash';
import type { DecimalOutcome } from '../money/event-format';
import { ExchangeEngine } from './exchange-engine';

const SOL: Product = {
  id: 'ETH-USDT2',
  baseCurrency: 'ETH',
  quoteCurrency: 'USDT',
  priceIncrement: '0.1',
  sizeIncrement: '0.01',
  minSize: '0.01',
  minFunds: '1',
  maxNotional: '1000000',
  makerFeeRate: '0.001',
  takerFeeRate: '0.002',
  status: 'online',
};
const BTC = 'BTC-USDT';

function funded(): EngineDriver {
  const d = new EngineDriver();
  d.deposit('alice', 'BTC', '10');
  d.deposit('alice', 'ETH', '10');
  d.deposit('bob', 'USDT', '100000');
  return d;
}

const status = (d: EngineDriver, productId: string, value: Product['status']): DecimalOutcome =>
  d.run({ type: 'set_product_status', productId, status: value });

describe('ExchangeEngine: the market as engine state', () => {
  it('lists a product that trades at once, and says so in a product event', () => {
    const d = funded();
    const listed = d.run({ type: 'list_product', product: SOL });
    expect(listed.events).toEqual([{ type: 'product', product: SOL }]);
    expect(d.engine.catalog.product(SOL.id)?.source).toEqual(SOL);
    d.run(limit('alice', 'sell', '2000.5', '1.25', { productId: SOL.id }));
    const buy = d.run(limit('bob', 'buy', '2000.5', '1', { productId: SOL.id }));
    expect(ofType(buy, 'match')[0]).toMatchObject({ productId: SOL.id, price: '2000.500000', size: '1.00000000', funds: '2000.500000', takerFee: '4.001000' });
  });

  it('refuses a product listed twice or invalid, changing nothing', () => {
    const d = funded();
    d.run({ type: 'list_product', product: SOL });
    expectRejected(d.apply({ type: 'list_product', product: SOL }), 'PRODUCT_EXISTS');
    expectRejected(d.apply({ type: 'list_product', product: { ...SOL, id: 'X-Y', baseCurrency: 'DOGE' } }), 'INVALID_PRODUCT');
    // The parser gives the reason before anything is sequenced.
    expect(d.parser.parse({ type: 'list_product', product: { ...SOL, id: 'A-B', priceIncrement: '0.0000001' } }).rejection).toEqual({
      code: 'INVALID_PRODUCT',
      message: expect.stringMatching(/priceIncrement .* not a multiple of the USDT minor unit/),
    });
  });

  it('cancel_only refuses new orders and accepts cancels', () => {
    const d = funded();
    const resting = d.run(limit('alice', 'sell', '20000', '1'));
    status(d, BTC, 'cancel_only');
    expectRejected(d.run(limit('bob', 'buy', '20000', '0.1')), 'PRODUCT_NOT_TRADING');
    expectRejected(d.run(limit('alice', 'sell', '21000', '0.1')), 'PRODUCT_NOT_TRADING');
    const cancel = d.run({ type: 'cancel', userId: 'alice', orderId: resting.orderId! });
    expect(ofType(cancel, 'done')[0]).toMatchObject({ orderId: resting.orderId, reason: 'canceled', cancelReason: 'user' });
    status(d, BTC, 'online');
    expect(d.run(limit('bob', 'buy', '20000', '0.1')).rejection).toBeNull();
  });

  it('post_only takes only post-only limit orders; limit_only refuses market orders', () => {
    const d = funded();
    status(d, BTC, 'post_only');
    expectRejected(d.run(limit('alice', 'sell', '20000', '1')), 'PRODUCT_POST_ONLY');
    expectRejected(d.run({ type: 'place', userId: 'bob', productId: BTC, side: 'buy', orderType: 'market', funds: '100' }), 'PRODUCT_POST_ONLY');
    expect(d.run(limit('alice', 'sell', '20000', '1', { postOnly: true })).rejection).toBeNull();
    expectRejected(d.run(limit('bob', 'buy', '20000', '0.1', { postOnly: true })), 'POST_ONLY_WOULD_CROSS');
    status(d, BTC, 'limit_only');
    expectRejected(d.run({ type: 'place', userId: 'bob', productId: BTC, side: 'buy', orderType: 'market', funds: '100' }), 'PRODUCT_LIMIT_ONLY');
    expect(ofType(d.run(limit('bob', 'buy', '20000', '0.1')), 'match')).toHaveLength(1);
  });

  it('delisting cancels every resting order and returns its hold; nothing is accepted after', () => {
    const d = funded();
    const ask = d.run(limit('alice', 'sell', '20000', '1'));
    const bid = d.run(limit('bob', 'buy', '19000', '0.5'));
    const delisted = status(d, BTC, 'delisted');
    expect(delisted.events[0]).toMatchObject({ type: 'product', product: { id: BTC, status: 'delisted' } });
    expect(ofType(delisted, 'done').map((e) => [e.orderId, e.cancelReason])).toEqual([
      [ask.orderId, 'delisted'],
      [bid.orderId, 'delisted'],
    ]);
    expect(d.balance('alice', 'BTC')).toEqual({ available: '10.00000000', hold: '0.00000000' });
    expect(d.balance('bob', 'USDT')).toEqual({ available: '100000.000000', hold: '0.000000' });
    expect(d.engine.level2(BTC)).toMatchObject({ bids: [], asks: [] });
    expectRejected(d.run(limit('bob', 'buy', '19000', '0.5')), 'PRODUCT_NOT_TRADING');
  });

  it('new fees apply to resting orders: a cut returns hold, a raise holds more or cancels what cannot be covered', () => {
    const d = funded();
    d.deposit('carol', 'USDT', '2005');
    const bob = d.run(limit('bob', 'buy', '10000', '1'));
    const carol = d.run(limit('carol', 'buy', '10000', '0.2'));
    // 10000 + 0.2 % + one unit of rounding.
    expect(d.balance('bob', 'USDT').hold).toBe('10020.000001');
    d.run({ type: 'set_product_fees', productId: BTC, makerFeeRate: '0', takerFeeRate: '0.0005' });
    expect(d.balance('bob', 'USDT').hold).toBe('10005.000000');
    const raised = d.run({ type: 'set_product_fees', productId: BTC, makerFeeRate: '0.005', takerFeeRate: '0.006' });
    // carol has 2005 in all: 2000 + 0.6 % + 0.000001 = 2012.000001 is more.
    expect(ofType(raised, 'done')).toEqual([expect.objectContaining({ orderId: carol.orderId, cancelReason: 'fee_change' })]);
    expect(d.balance('bob', 'USDT').hold).toBe('10060.000001');
    const fill = d.run(limit('alice', 'sell', '10000', '1'));
    expect(ofType(fill, 'match')[0]).toMatchObject({ makerOrderId: bob.orderId, makerFee: '50.000000', takerFee: '60.000000' });
    expect(d.balance('bob', 'USDT')).toEqual({ available: '89950.000000', hold: '0.000000' });
  });

  it('a snapshot carries the market, and replaying the commands from genesis rebuilds it', () => {
    const d = funded();
    const commands = [
      { type: 'list_product', product: SOL },
      { type: 'set_product_fees', productId: SOL.id, makerFeeRate: '0', takerFeeRate: '0.001' },
      { type: 'set_product_status', productId: BTC, status: 'limit_only' },
      limit('alice', 'sell', '2000.5', '1', { productId: SOL.id }),
    ] as const;
    for (const request of commands) expect(d.run(request).rejection).toBeNull();
    const snapshot = d.engine.snapshot();
    expect(snapshot.market?.products.map((p) => [p.id, p.status, p.takerFeeRate])).toEqual([
      ['BTC-USDT', 'limit_only', '0.002'],
      ['ETH-USDT', 'online', '0.002'],
      ['ETH-BTC', 'online', '0.002'],
      [SOL.id, 'online', '0.001'],
    ]);
    const restored = ExchangeEngine.restore(d.catalog, snapshot);
    expect(stateHash(restored.snapshot())).toBe(stateHash(snapshot));
    expect(restored.catalog.product(SOL.id)?.takerFeePpm).toBe(1000);

    const replica = new EngineDriver(d.catalog);
    replica.deposit('alice', 'BTC', '10');
    replica.deposit('alice', 'ETH', '10');
    replica.deposit('bob', 'USDT', '100000');
    for (const request of commands) replica.run(request);
    expect(stateHash(replica.engine.snapshot())).toBe(stateHash({ ...snapshot, timestamp: replica.engine.lastTimestamp }));
  });
});
