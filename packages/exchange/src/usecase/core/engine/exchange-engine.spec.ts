import type { PlaceOrderCommand } from '@sd/domain/exchange/command';
import type { RejectionCode } from '@sd/domain/exchange/rejection';
import { done, EngineDriver, expectRejected, ofType } from '../../../testing/engine-driver';
import { limit, market } from '../../../testing/outcome-fixture';
import { DEFAULT_CURRENCIES, DEFAULT_PRODUCTS } from '../catalog/default-products';
import { ProductCatalog } from '../catalog/product-catalog';
import type { DecimalOutcome } from '../money/event-format';
import { ExchangeEngine } from './exchange-engine';
import { stateHash } from '../../../testing/state-hash';

const BTC = 'BTC-USDT';

/** alice holds 10 BTC, bob 1,000,000 USDT, carol both. */
function funded(): EngineDriver {
  const d = new EngineDriver();
  d.deposit('alice', 'BTC', '10');
  d.deposit('bob', 'USDT', '1000000');
  d.deposit('carol', 'BTC', '10');
  d.deposit('carol', 'USDT', '1000000');
  return d;
}

describe('ExchangeEngine: limit orders and clearing', () => {
  it('rests a limit order with its hold, then fills it with exact fees on both sides', () => {
    const d = funded();
    const sell = d.run(limit('alice', 'sell', '20000', '0.5'));
    expect(sell.orderId).toBe(String(sell.sequence));
    expect(ofType(sell, 'open')).toEqual([
      { type: 'open', orderId: sell.orderId, userId: 'alice', productId: BTC, side: 'sell', price: '20000.000000', remainingSize: '0.50000000' },
    ]);
    expect(d.balance('alice', 'BTC')).toEqual({ available: '9.50000000', hold: '0.50000000' });

    const buy = d.run(limit('bob', 'buy', '20000', '0.2'));
    const [match] = ofType(buy, 'match');
    expect(match).toMatchObject({
      price: '20000.000000',
      size: '0.20000000',
      funds: '4000.000000',
      side: 'sell',
      makerOrderId: sell.orderId,
      takerOrderId: buy.orderId,
      makerFee: '4.000000', // 0.1 % maker
      takerFee: '8.000000', // 0.2 % taker
    });
    expect(done(buy, buy.orderId!)).toMatchObject({ reason: 'filled', filledSize: '0.20000000', executedValue: '4000.000000', fillFees: '8.000000' });
    expect(d.balance('bob', 'USDT')).toEqual({ available: '995992.000000', hold: '0.000000' });
    expect(d.balance('bob', 'BTC')).toEqual({ available: '0.20000000', hold: '0.00000000' });
    expect(d.balance('alice', 'BTC')).toEqual({ available: '9.50000000', hold: '0.30000000' });
    expect(d.balance('alice', 'USDT')).toEqual({ available: '3996.000000', hold: '0.000000' });
    expect(d.balance('exchange-fees', 'USDT')).toEqual({ available: '12.000000', hold: '0.000000' });
  });

  it('holds notional + worst-case fee + one unit of rounding for a buy, and releases it all on cancel', () => {
    const d = funded();
    const buy = d.run(limit('bob', 'buy', '20000', '0.2'));
    // 4000 + 0.2 % (8) + 0.000001 rounding margin
    expect(d.balance('bob', 'USDT')).toEqual({ available: '995991.999999', hold: '4008.000001' });
    const cancel = d.run({ type: 'cancel', userId: 'bob', orderId: buy.orderId! });
    expect(done(cancel, buy.orderId!)).toMatchObject({ reason: 'canceled', cancelReason: 'user', remainingSize: '0.20000000' });
    expect(d.balance('bob', 'USDT')).toEqual({ available: '1000000.000000', hold: '0.000000' });
  });

  it('fills across many levels in price then time priority and rests the remainder', () => {
    const d = funded();
    const asks = ['20000', '20001', '20002', '20003', '20004'].map((price) => d.run(limit('alice', 'sell', price, '0.1')).orderId!);
    const sameLevelLater = d.run(limit('carol', 'sell', '20000', '0.1')).orderId!;
    const buy = d.run(limit('bob', 'buy', '20003', '0.55'));
    const matches = ofType(buy, 'match');
    expect(matches.map((m) => [m.makerOrderId, m.price, m.size])).toEqual([
      [asks[0], '20000.000000', '0.10000000'],
      [sameLevelLater, '20000.000000', '0.10000000'],
      [asks[1], '20001.000000', '0.10000000'],
      [asks[2], '20002.000000', '0.10000000'],
      [asks[3], '20003.000000', '0.10000000'],
    ]);
    expect(ofType(buy, 'open')[0]).toMatchObject({ price: '20003.000000', remainingSize: '0.05000000' });
    expect(d.formatter.level2(d.engine.level2(BTC)!)).toEqual({
      productId: BTC,
      bookSequence: expect.any(Number),
      bids: [['20003.000000', '0.05000000', 1]],
      asks: [['20004.000000', '0.10000000', 1]],
    });
    // Spent 10000.6 + fee ceil(0.2 % × 10000.6) = 20.0012. The remainder keeps only the hold
    // for 0.05 at its limit, 1000.15 + 2.0003 + 0.000001; what the better prices saved came back.
    expect(d.balance('bob', 'USDT')).toEqual({ available: '988977.248499', hold: '1002.150301' });
  });

  it('gives a resting buy back what a maker fill did not need', () => {
    const d = funded();
    d.run(limit('bob', 'buy', '20000', '0.2'));
    d.run(limit('alice', 'sell', '20000', '0.1'));
    // Paid 2000 + 0.1 % maker fee 2; the hold drops to 2000 + 4 + 0.000001 for the last 0.1.
    expect(d.balance('bob', 'USDT')).toEqual({ available: '995993.999999', hold: '2004.000001' });
  });

  it('emits level-2 deltas with a per-product book sequence', () => {
    const d = funded();
    const first = d.run(limit('alice', 'sell', '20000', '0.1'));
    const second = d.run(limit('alice', 'sell', '20000', '0.2'));
    const take = d.run(limit('bob', 'buy', '20000', '0.15'));
    const books = [first, second, take].map((o) => ofType(o, 'l2update')[0]!);
    expect(books.map((b) => b.bookSequence)).toEqual([1, 2, 3]);
    expect(books[1]!.changes).toEqual([['sell', '20000.000000', '0.30000000']]);
    expect(books[2]!.changes).toEqual([['sell', '20000.000000', '0.15000000']]);
    const deposit = d.deposit('bob', 'USDT', '1');
    expect(ofType(deposit, 'l2update')).toEqual([]);
  });

  it('charges fees as ceil of the cumulative notional per order and role', () => {
    const catalog = new ProductCatalog(
      [
        { id: 'AAA', scale: 2 },
        { id: 'QQQ', scale: 2 },
      ],
      [
        {
          id: 'AAA-QQQ',
          baseCurrency: 'AAA',
          quoteCurrency: 'QQQ',
          priceIncrement: '0.01',
          sizeIncrement: '1',
          minSize: '1',
          minFunds: '0.01',
          maxNotional: '1000000',
          makerFeeRate: '0.001',
          takerFeeRate: '0.002',
          status: 'online',
        },
      ],
    );
    const d = new EngineDriver(catalog);
    d.deposit('maker', 'AAA', '10');
    d.deposit('taker', 'QQQ', '100');
    const sell = d.run({ type: 'place', userId: 'maker', productId: 'AAA-QQQ', side: 'sell', orderType: 'limit', price: '1', size: '10' });
    const fees: Array<[string, string]> = [];
    let last: DecimalOutcome | undefined;
    for (let i = 0; i < 10; i++) {
      last = d.run({ type: 'place', userId: 'taker', productId: 'AAA-QQQ', side: 'buy', orderType: 'limit', price: '1', size: '1' });
      const match = ofType(last, 'match')[0]!;
      fees.push([match.makerFee, match.takerFee]);
    }
    // Maker: ceil(0.1 %) of 1, 2, ..., 10 QQQ cumulative is 0.01 throughout → paid once.
    expect(fees.map(([maker]) => maker)).toEqual(['0.01', '0.00', '0.00', '0.00', '0.00', '0.00', '0.00', '0.00', '0.00', '0.00']);
    // Each taker order is its own: ceil(0.002) = 0.01 each time.
    expect(fees.every(([, taker]) => taker === '0.01')).toBe(true);
    expect(done(last!, sell.orderId!)).toMatchObject({ reason: 'filled', fillFees: '0.01', executedValue: '10.00' });
    expect(d.balance('maker', 'QQQ').available).toBe('9.99');
    expect(d.balance('taker', 'QQQ').available).toBe('89.90');
    expect(d.balance('exchange-fees', 'QQQ').available).toBe('0.11');
  });
});

describe('ExchangeEngine: time in force and post-only', () => {
  it('IOC fills what it can and cancels the rest, releasing its hold', () => {
    const d = funded();
    d.run(limit('alice', 'sell', '20000', '0.1'));
    const ioc = d.run(limit('bob', 'buy', '20000', '0.3', { timeInForce: 'IOC' }));
    expect(ofType(ioc, 'match')).toHaveLength(1);
    expect(done(ioc, ioc.orderId!)).toMatchObject({ reason: 'canceled', cancelReason: 'ioc', remainingSize: '0.20000000', filledSize: '0.10000000' });
    expect(d.balance('bob', 'USDT')).toEqual({ available: '997996.000000', hold: '0.000000' });
    expect(d.engine.level2(BTC)!.bids).toEqual([]);
  });

  it('FOK fills completely or is rejected without a trace', () => {
    const d = funded();
    d.run(limit('alice', 'sell', '20000', '0.1'));
    d.run(limit('alice', 'sell', '20001', '0.1'));
    expectRejected(d.run(limit('bob', 'buy', '20000', '0.2', { timeInForce: 'FOK' })), 'FOK_NOT_FILLABLE');
    const fok = d.run(limit('bob', 'buy', '20001', '0.2', { timeInForce: 'FOK' }));
    expect(ofType(fok, 'match')).toHaveLength(2);
    expect(done(fok, fok.orderId!).reason).toBe('filled');
  });

  it('FOK does not count the caller’s own orders as liquidity', () => {
    const d = funded();
    d.run(limit('carol', 'sell', '20000', '0.1'));
    d.run(limit('alice', 'sell', '20000', '0.1'));
    expectRejected(d.run(limit('carol', 'buy', '20000', '0.2', { timeInForce: 'FOK' })), 'FOK_NOT_FILLABLE');
  });

  it('post-only rests when it does not cross and is rejected when it would', () => {
    const d = funded();
    d.run(limit('alice', 'sell', '20000', '0.1'));
    const rests = d.run(limit('bob', 'buy', '19999.99', '0.1', { postOnly: true }));
    expect(ofType(rests, 'open')).toHaveLength(1);
    expectRejected(d.run(limit('bob', 'buy', '20000', '0.1', { postOnly: true })), 'POST_ONLY_WOULD_CROSS');
    expectRejected(d.run(limit('carol', 'sell', '19999.99', '0.1', { postOnly: true })), 'POST_ONLY_WOULD_CROSS');
  });
});

describe('ExchangeEngine: market orders', () => {
  it('market buy by funds spends at most its funds, fee included, and refunds the rest', () => {
    const d = funded();
    d.run(limit('alice', 'sell', '20000', '0.1'));
    d.run(limit('alice', 'sell', '20010', '0.1'));
    const buy = d.run(market('bob', 'buy', { funds: '3000' }));
    // Notional budget: largest x with x + ceil(0.2 % x) <= 3000 → 2994.011976.
    // 0.1 @ 20000 = 2000, then floor(994.011976 / 2.001) = 496 lots @ 20010 = 992.496.
    expect(ofType(buy, 'match').map((m) => [m.price, m.size, m.takerFee])).toEqual([
      ['20000.000000', '0.10000000', '4.000000'],
      ['20010.000000', '0.04960000', '1.984992'],
    ]);
    expect(done(buy, buy.orderId!)).toMatchObject({
      reason: 'filled',
      remainingSize: null,
      filledSize: '0.14960000',
      executedValue: '2992.496000',
      fillFees: '5.984992',
    });
    expect(d.balance('bob', 'USDT')).toEqual({ available: '997001.519008', hold: '0.000000' });
  });

  it('market buy by size costs exactly the book walk, and is refused when that exceeds the balance', () => {
    const d = funded();
    d.run(limit('alice', 'sell', '20000', '0.1'));
    d.run(limit('alice', 'sell', '20010', '0.1'));
    // 0.1 × 20000 + 0.05 × 20010 = 3000.5, taker fee 6.001 → 3006.501.
    d.deposit('dave', 'USDT', '3006.500999');
    expectRejected(d.run(market('dave', 'buy', { size: '0.15' })), 'INSUFFICIENT_FUNDS');
    d.deposit('dave', 'USDT', '0.000001');
    const buy = d.run(market('dave', 'buy', { size: '0.15' }));
    expect(done(buy, buy.orderId!)).toMatchObject({ reason: 'filled', executedValue: '3000.500000', fillFees: '6.001000' });
    expect(d.balance('dave', 'USDT')).toEqual({ available: '0.000000', hold: '0.000000' });
    expect(d.balance('dave', 'BTC').available).toBe('0.15000000');
  });

  it('market sell by size walks the bids and is canceled for lack of liquidity past the book', () => {
    const d = funded();
    d.run(limit('bob', 'buy', '20000', '0.1'));
    d.run(limit('bob', 'buy', '19990', '0.1'));
    const sell = d.run(market('alice', 'sell', { size: '0.3' }));
    expect(ofType(sell, 'match').map((m) => m.price)).toEqual(['20000.000000', '19990.000000']);
    expect(done(sell, sell.orderId!)).toMatchObject({ reason: 'canceled', cancelReason: 'no_liquidity', remainingSize: '0.10000000' });
    expect(d.balance('alice', 'BTC')).toEqual({ available: '9.80000000', hold: '0.00000000' });
    // 3999 proceeds minus 0.2 % taker fee 7.998
    expect(d.balance('alice', 'USDT').available).toBe('3991.002000');
  });

  it('a market order against an empty book is accepted and canceled', () => {
    const d = funded();
    const sell = d.run(market('alice', 'sell', { size: '1' }));
    expect(done(sell, sell.orderId!)).toMatchObject({ reason: 'canceled', cancelReason: 'no_liquidity', filledSize: '0.00000000' });
    expect(d.balance('alice', 'BTC')).toEqual({ available: '10.00000000', hold: '0.00000000' });
  });
});

describe('ExchangeEngine: self-trade prevention', () => {
  it('dc (default): a larger resting order shrinks, the incoming one is canceled', () => {
    const d = funded();
    const rest = d.run(limit('carol', 'sell', '20000', '0.5'));
    const take = d.run(limit('carol', 'buy', '20000', '0.2'));
    expect(ofType(take, 'match')).toEqual([]);
    expect(ofType(take, 'change')[0]).toMatchObject({ orderId: rest.orderId, oldSize: '0.50000000', newSize: '0.30000000', reason: 'self_trade' });
    expect(done(take, take.orderId!)).toMatchObject({ reason: 'canceled', cancelReason: 'self_trade' });
    expect(d.balance('carol', 'BTC')).toEqual({ available: '9.70000000', hold: '0.30000000' });
    expect(d.balance('carol', 'USDT')).toEqual({ available: '1000000.000000', hold: '0.000000' });
  });

  it('dc: a smaller resting order is canceled and the incoming one rests decremented', () => {
    const d = funded();
    const rest = d.run(limit('carol', 'sell', '20000', '0.2'));
    const take = d.run(limit('carol', 'buy', '20000', '0.5'));
    expect(done(take, rest.orderId!)).toMatchObject({ reason: 'canceled', cancelReason: 'self_trade' });
    expect(ofType(take, 'open')[0]).toMatchObject({ orderId: take.orderId, remainingSize: '0.30000000' });
    // The hold now covers 0.3 at 20000: 6000 + 12 + 0.000001.
    expect(d.balance('carol', 'USDT').hold).toBe('6012.000001');
    expect(d.balance('carol', 'BTC').hold).toBe('0.00000000');
  });

  it('dc takes the decrement off the size of the order that shrinks, so a filled order filled its size', () => {
    const d = funded();
    const small = d.run(limit('carol', 'sell', '20000', '0.2'));
    const take = d.run(limit('carol', 'buy', '20000', '0.5'));
    expect(done(take, small.orderId!).cancelReason).toBe('self_trade');
    expect(ofType(take, 'change')).toEqual([expect.objectContaining({ orderId: take.orderId, oldSize: '0.50000000', newSize: '0.30000000' })]);
    const resting = d.engine.order(Number(take.orderId))!;
    expect([resting.size, resting.remainingSize]).toEqual([30_000_000, 30_000_000]);
    const fill = d.run(limit('alice', 'sell', '20000', '0.3'));
    expect(done(fill, take.orderId!)).toMatchObject({ reason: 'filled', filledSize: '0.30000000', remainingSize: '0.00000000' });

    const large = d.run(limit('carol', 'sell', '21000', '1'));
    d.run(limit('bob', 'buy', '21000', '0.4'));
    const shrink = d.run(limit('carol', 'buy', '21000', '0.25'));
    // A partly filled order shrinks by the incoming size: 1 → 0.75, of which 0.35 remain.
    expect(ofType(shrink, 'change')).toEqual([expect.objectContaining({ orderId: large.orderId, oldSize: '1.00000000', newSize: '0.75000000' })]);
    const view = d.engine.order(Number(large.orderId))!;
    expect([view.size, view.remainingSize, view.filledSize]).toEqual([75_000_000, 35_000_000, 40_000_000]);
  });

  it('co cancels the resting order and keeps matching others', () => {
    const d = funded();
    const own = d.run(limit('carol', 'sell', '20000', '0.1'));
    const other = d.run(limit('alice', 'sell', '20000', '0.1'));
    const take = d.run(limit('carol', 'buy', '20000', '0.1', { stp: 'co' }));
    expect(done(take, own.orderId!).cancelReason).toBe('self_trade');
    expect(ofType(take, 'match')[0]).toMatchObject({ makerOrderId: other.orderId, size: '0.10000000' });
    expect(done(take, take.orderId!).reason).toBe('filled');
  });

  it('cn cancels the incoming order and leaves the resting one', () => {
    const d = funded();
    d.run(limit('alice', 'sell', '19999', '0.1'));
    const own = d.run(limit('carol', 'sell', '20000', '0.1'));
    const take = d.run(limit('carol', 'buy', '20000', '0.3', { stp: 'cn' }));
    expect(ofType(take, 'match')).toHaveLength(1);
    expect(done(take, take.orderId!)).toMatchObject({ reason: 'canceled', cancelReason: 'self_trade', filledSize: '0.10000000' });
    expect(d.engine.order(Number(own.orderId!))).not.toBeNull();
  });

  it('cb cancels both', () => {
    const d = funded();
    const own = d.run(limit('carol', 'sell', '20000', '0.1'));
    const take = d.run(limit('carol', 'buy', '20000', '0.3', { stp: 'cb' }));
    expect(done(take, own.orderId!).cancelReason).toBe('self_trade');
    expect(done(take, take.orderId!).cancelReason).toBe('self_trade');
    expect(d.engine.openOrders('carol')).toEqual([]);
    expect(d.balance('carol', 'USDT').hold).toBe('0.000000');
  });

  it('a market buy by funds cancels its own resting orders whatever the mode', () => {
    const d = funded();
    const own = d.run(limit('carol', 'sell', '20000', '0.1'));
    d.run(limit('alice', 'sell', '20000', '0.1'));
    const take = d.run(market('carol', 'buy', { funds: '100' }));
    expect(done(take, own.orderId!).cancelReason).toBe('self_trade');
    expect(ofType(take, 'match')).toHaveLength(1);
  });
});

describe('ExchangeEngine: cancels', () => {
  it('cancels by client oid and answers ORDER_NOT_FOUND for unknown, done or foreign orders', () => {
    const d = funded();
    const order = d.run(limit('bob', 'buy', '100', '1', { clientOid: 'c-1' }));
    expectRejected(d.run({ type: 'cancel_client_oid', userId: 'bob', clientOid: 'nope' }), 'ORDER_NOT_FOUND');
    expectRejected(d.run({ type: 'cancel_client_oid', userId: 'alice', clientOid: 'c-1' }), 'ORDER_NOT_FOUND');
    expectRejected(d.run({ type: 'cancel', userId: 'alice', orderId: order.orderId! }), 'ORDER_NOT_FOUND');
    const cancel = d.run({ type: 'cancel_client_oid', userId: 'bob', clientOid: 'c-1' });
    expect(done(cancel, order.orderId!).cancelReason).toBe('user');
    expectRejected(d.run({ type: 'cancel_client_oid', userId: 'bob', clientOid: 'c-1' }), 'ORDER_NOT_FOUND');
    expectRejected(d.run({ type: 'cancel', userId: 'bob', orderId: order.orderId! }), 'ORDER_NOT_FOUND');
  });

  it('cancel of an order that was filled is a rejection, not a crash', () => {
    const d = funded();
    const sell = d.run(limit('alice', 'sell', '20000', '0.1'));
    d.run(limit('bob', 'buy', '20000', '0.1'));
    expectRejected(d.run({ type: 'cancel', userId: 'alice', orderId: sell.orderId! }), 'ORDER_NOT_FOUND');
    expectRejected(d.run({ type: 'cancel', userId: 'alice', orderId: '999999' }), 'ORDER_NOT_FOUND');
  });

  it('cancel all, optionally per product, returns every hold', () => {
    const d = funded();
    d.run(limit('carol', 'buy', '100', '1'));
    d.run(limit('carol', 'sell', '30000', '1'));
    d.deposit('carol', 'ETH', '5');
    d.run({ type: 'place', userId: 'carol', productId: 'ETH-USDT', side: 'sell', orderType: 'limit', price: '3000', size: '1' });
    const onlyBtc = d.run({ type: 'cancel_all', userId: 'carol', productId: BTC });
    expect(ofType(onlyBtc, 'done')).toHaveLength(2);
    expect(d.engine.openOrders('carol').map((o) => o.productId)).toEqual(['ETH-USDT']);
    const all = d.run({ type: 'cancel_all', userId: 'carol' });
    expect(ofType(all, 'done')).toHaveLength(1);
    for (const currency of ['BTC', 'ETH', 'USDT']) expect(Number(d.balance('carol', currency).hold)).toBe(0);
    expect(d.run({ type: 'cancel_all', userId: 'nobody' }).rejection).toBeNull();
  });
});

describe('ExchangeEngine: client order ids', () => {
  it('refuses a duplicate client oid from the same user, even after the order is done', () => {
    const d = funded();
    const first = d.run(limit('bob', 'buy', '100', '1', { clientOid: 'x' }));
    expectRejected(d.run(limit('bob', 'buy', '101', '1', { clientOid: 'x' })), 'DUPLICATE_CLIENT_OID');
    d.run({ type: 'cancel', userId: 'bob', orderId: first.orderId! });
    expectRejected(d.run(limit('bob', 'buy', '101', '1', { clientOid: 'x' })), 'DUPLICATE_CLIENT_OID');
    expect(d.run(limit('carol', 'buy', '101', '1', { clientOid: 'x' })).rejection).toBeNull();
  });

  it('forgets the oldest ids beyond the retention, deterministically, but never an open order’s', () => {
    const d = new EngineDriver(undefined, { clientOidRetention: 2 });
    d.deposit('bob', 'USDT', '100000');
    d.run(limit('bob', 'buy', '100', '1', { clientOid: 'open' }));
    const gone = d.run(limit('bob', 'buy', '100', '1', { clientOid: 'a', timeInForce: 'IOC' }));
    expect(gone.rejection).toBeNull();
    d.run(limit('bob', 'buy', '100', '1', { clientOid: 'b', timeInForce: 'IOC' }));
    d.run(limit('bob', 'buy', '100', '1', { clientOid: 'c', timeInForce: 'IOC' }));
    expect(d.run(limit('bob', 'buy', '100', '1', { clientOid: 'a', timeInForce: 'IOC' })).rejection).toBeNull();
    expectRejected(d.run(limit('bob', 'buy', '100', '1', { clientOid: 'open' })), 'DUPLICATE_CLIENT_OID');
    expect(d.engine.snapshot().clientOids.map((e) => e.clientOid)).toEqual(['c', 'a']);
  });
});

describe('ExchangeEngine: deposits, withdrawals, transfers', () => {
  it('moves funds and refuses what the balance cannot cover', () => {
    const d = funded();
    expect(ofType(d.run({ type: 'withdraw', userId: 'bob', currency: 'USDT', amount: '1000' }), 'balance')).toEqual([
      { type: 'balance', userId: 'bob', currency: 'USDT', available: '999000.000000', hold: '0.000000' },
    ]);
    expectRejected(d.run({ type: 'withdraw', userId: 'bob', currency: 'USDT', amount: '999000.000001' }), 'INSUFFICIENT_FUNDS');
    expectRejected(d.run({ type: 'withdraw', userId: 'nobody', currency: 'USDT', amount: '1' }), 'INSUFFICIENT_FUNDS');
    d.run({ type: 'transfer', fromUserId: 'bob', toUserId: 'erin', currency: 'USDT', amount: '500' });
    expect(d.balance('erin', 'USDT').available).toBe('500.000000');
    expectRejected(d.run({ type: 'transfer', fromUserId: 'erin', toUserId: 'bob', currency: 'USDT', amount: '500.000001' }), 'INSUFFICIENT_FUNDS');
    // Held funds are not available for withdrawal.
    d.run(limit('erin', 'buy', '100', '4'));
    expectRejected(d.run({ type: 'withdraw', userId: 'erin', currency: 'USDT', amount: '500' }), 'INSUFFICIENT_FUNDS');
  });

  it('refuses deposits that would take a currency past the exact integer range', () => {
    const d = new EngineDriver();
    d.deposit('whale', 'BTC', '90000000');
    expectRejected(d.apply({ type: 'deposit', userId: 'whale', currency: 'BTC', amount: 7_000_000_000_000_000 / 7 }), 'AMOUNT_TOO_LARGE');
  });
});

describe('ExchangeEngine: every rejection code leaves state untouched', () => {
  // EngineDriver.apply asserts, for each rejected command, that the state hash is unchanged.
  const place = (fields: Partial<PlaceOrderCommand>) =>
    ({ type: 'place', userId: 'bob', productId: BTC, side: 'buy', orderType: 'limit', price: 2_000_000, size: 10, funds: 0, timeInForce: 'GTC', postOnly: false, stp: 'dc', clientOid: null, ...fields }) as const;

  it.each<[RejectionCode, Parameters<EngineDriver['apply']>[0]]>([
    ['UNKNOWN_PRODUCT', place({ productId: 'DOGE-USDT' })],
    ['INVALID_PRICE', place({ price: 0 })],
    ['INVALID_PRICE', place({ price: 2.5 })],
    ['INVALID_SIZE', place({ size: -1 })],
    ['SIZE_TOO_SMALL', { ...place({}), productId: 'ETH-USDT', size: 5 }],
    ['FUNDS_TOO_SMALL', place({ price: 100, size: 1 })],
    ['ORDER_TOO_LARGE', place({ price: 1_000_000_000, size: 100_000 })],
    ['INSUFFICIENT_FUNDS', place({ size: 4_000_000 })],
    ['INSUFFICIENT_FUNDS', place({ userId: 'stranger' })],
    ['INVALID_ARGUMENT', place({ funds: 5 })],
    ['INVALID_ARGUMENT', place({ postOnly: true, timeInForce: 'IOC' })],
    ['INVALID_ARGUMENT', place({ orderType: 'market', price: 5, size: 1 })],
    ['INVALID_ARGUMENT', place({ orderType: 'market', price: 0, size: 1, funds: 1_000_000 })],
    ['INVALID_FUNDS', place({ orderType: 'market', price: 0, size: 0, funds: 0.5 })],
    ['FUNDS_TOO_SMALL', place({ orderType: 'market', price: 0, size: 0, funds: 10 })],
    ['ORDER_TOO_LARGE', place({ orderType: 'market', price: 0, size: 0, funds: 10_000_000_000_001 })],
    ['INVALID_SIZE', place({ orderType: 'market', side: 'sell', price: 0, size: 0 })],
    ['INSUFFICIENT_FUNDS', place({ orderType: 'market', side: 'sell', price: 0, size: 1_000_000 })],
    ['ORDER_NOT_FOUND', { type: 'cancel', userId: 'bob', orderId: 42 }],
    ['ORDER_NOT_FOUND', { type: 'cancel_client_oid', userId: 'bob', clientOid: 'none' }],
    ['UNKNOWN_PRODUCT', { type: 'cancel_all', userId: 'bob', productId: 'DOGE-USDT' }],
    ['UNKNOWN_CURRENCY', { type: 'deposit', userId: 'bob', currency: 'DOGE', amount: 1 }],
    ['INVALID_AMOUNT', { type: 'deposit', userId: 'bob', currency: 'BTC', amount: 0 }],
    ['INVALID_AMOUNT', { type: 'withdraw', userId: 'bob', currency: 'BTC', amount: -5 }],
    ['INVALID_AMOUNT', { type: 'transfer', fromUserId: 'bob', toUserId: 'x', currency: 'BTC', amount: 0.5 }],
    ['INVALID_ARGUMENT', { type: 'transfer', fromUserId: 'bob', toUserId: 'bob', currency: 'USDT', amount: 1 }],
    ['UNKNOWN_CURRENCY', { type: 'withdraw', userId: 'bob', currency: 'DOGE', amount: 1 }],
  ])('%s', (code, command) => {
    const d = funded();
    d.run(limit('alice', 'sell', '20000', '1'));
    expectRejected(d.apply(command), code);
  });

  it('PRODUCT_NOT_TRADING', () => {
    const catalog = new ProductCatalog(DEFAULT_CURRENCIES, DEFAULT_PRODUCTS.map((product) => (product.id === BTC ? { ...product, status: 'cancel_only' as const } : product)));
    const d = new EngineDriver(catalog);
    d.deposit('bob', 'USDT', '1000');
    expectRejected(d.run(limit('bob', 'buy', '100', '1')), 'PRODUCT_NOT_TRADING');
  });
});

describe('ExchangeEngine: snapshots', () => {
  it('restores to the same state hash and keeps behaving the same', () => {
    const d = funded();
    d.run(limit('alice', 'sell', '20000', '0.5', { clientOid: 'k' }));
    d.run(limit('bob', 'buy', '19990', '0.5'));
    d.run(limit('bob', 'buy', '20000', '0.2'));
    const restored = ExchangeEngine.restore(d.catalog, d.engine.snapshot());
    expect(stateHash(restored.snapshot())).toBe(stateHash(d.engine.snapshot()));
    const next = { sequence: d.engine.lastSequence + 1, timestamp: 1, command: d.parser.parse(market('carol', 'buy', { size: '0.4' })).command! };
    expect(restored.apply(next)).toEqual(d.engine.apply(next));
    expect(stateHash(restored.snapshot())).toBe(stateHash(d.engine.snapshot()));
  });

  it('refuses to apply a command out of sequence', () => {
    const d = funded();
    expect(() => d.engine.apply({ sequence: d.engine.lastSequence + 2, timestamp: 0, command: { type: 'cancel_all', userId: 'x', productId: null } })).toThrow(
      /expects sequence/,
    );
  });
});
