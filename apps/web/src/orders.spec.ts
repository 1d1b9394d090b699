import { OrderStore } from './orders';
import type { Order, UserMessage } from './types';

/** What every feed message carries besides its own fields. */
const feed = { product_id: 'BTC-USDT', sequence: 1, time: '2026-01-01T00:00:00.000Z' };
const received = (order_id: string): UserMessage => ({ ...feed, type: 'received', order_id, side: 'sell', order_type: 'limit', price: '100', size: '1' });
const opened = (order_id: string): UserMessage => ({ ...feed, type: 'open', order_id, side: 'sell', price: '100', remaining_size: '1' });
const done = (order_id: string, reason: 'filled' | 'canceled'): UserMessage => ({ ...feed, type: 'done', order_id, side: 'sell', reason });
const matched = (trade_id: string, maker_order_id: string, taker_order_id: string, size: string, time: string) =>
  ({ ...feed, type: 'match', trade_id, maker_order_id, taker_order_id, side: 'sell', price: '100', size, time }) as const;

const placed: Order = { id: 'o1', product_id: 'BTC-USDT', side: 'sell', type: 'limit', price: '100', size: '1', status: 'pending', filled_size: '0', created_at: '2026-01-01T00:00:00.000Z' };

describe('OrderStore', () => {
  it('follows an order through the user channel to done, with its fill', () => {
    const store = new OrderStore();
    store.apply(received('o1'));
    store.apply(opened('o1'));
    expect(store.openOrders().map((o) => [o.id, o.status])).toEqual([['o1', 'open']]);
    const match = matched('7', 'o1', 'theirs', '0.4', '2026-01-01T00:00:01.000Z');
    store.apply(match); // from the public matches channel, without a fee
    expect(store.fillList().map((f) => [f.liquidity, f.fee])).toEqual([['M', null]]);
    store.apply({ ...match, fee: '0.04', liquidity: 'M' }); // the same match on the user channel
    expect(store.openOrders()[0]?.filled_size).toBe('0.4');
    expect(store.fillList()).toEqual([
      { trade_id: '7', product_id: 'BTC-USDT', order_id: 'o1', price: '100', size: '0.4', side: 'sell', liquidity: 'M', fee: '0.04', created_at: '2026-01-01T00:00:01.000Z' },
    ]);
    store.apply(done('o1', 'canceled'));
    expect(store.openOrders()).toEqual([]);
    expect(store.doneOrders().map((o) => [o.id, o.done_reason, o.filled_size])).toEqual([['o1', 'canceled', '0.4']]);
  });

  it('gives each of two own orders in a self-trade its own side and fee', () => {
    const store = new OrderStore();
    store.upsertOrder({ ...placed, status: 'open' });
    store.upsertOrder({ ...placed, id: 'o2', side: 'buy', created_at: '2026-01-01T00:00:03.000Z' });
    const match = matched('9', 'o1', 'o2', '1', '2026-01-01T00:00:04.000Z');
    store.apply({ ...match, fee: '0.1', liquidity: 'M' });
    store.apply({ ...match, fee: '0.2', liquidity: 'T' });
    expect(store.fillList().map((f) => [f.order_id, f.side, f.liquidity, f.fee]).sort()).toEqual([['o1', 'sell', 'M', '0.1'], ['o2', 'buy', 'T', '0.2']]);
  });

  it('ignores matches between other traders', () => {
    const store = new OrderStore();
    store.apply(matched('1', 'a', 'b', '1', '2026-01-01T00:00:01.000Z'));
    expect(store.fillList()).toEqual([]);
  });

  it('never moves an order back to an earlier status when a REST answer arrives late', () => {
    const store = new OrderStore();
    store.upsertOrder(placed);
    store.apply(done('o1', 'filled'));
    store.upsertOrder({ ...placed, status: 'open', filled_size: '0' });
    expect(store.doneOrders().map((o) => [o.status, o.done_reason])).toEqual([['done', 'filled']]);
  });

  it('keeps the REST fill, which has the fee, over the pushed one', () => {
    const store = new OrderStore();
    store.upsertOrder({ ...placed, status: 'open' });
    store.apply(matched('3', 'o1', 'x', '1', '2026-01-01T00:00:02.000Z'));
    store.addFill({ trade_id: '3', product_id: 'BTC-USDT', order_id: 'o1', price: '100', size: '1', side: 'sell', liquidity: 'M', fee: '0.1', created_at: '2026-01-01T00:00:02.000Z' });
    expect(store.fillList().map((f) => f.fee)).toEqual(['0.1']);
  });
});
