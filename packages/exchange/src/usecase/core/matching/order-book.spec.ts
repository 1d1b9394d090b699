import { MatchBuffer, MatchEnd, MatchQuote, MatchStep, matchOrder, quoteOrder } from './matcher';
import { Order } from './order';
import { OrderBook } from './order-book';

let nextId = 1;
const order = (side: 'buy' | 'sell', price: number, size: number, owner = nextId): Order =>
  new Order(nextId++, owner, `u${owner}`, 0, side, 'limit', price, size, size, 'GTC', false, 'dc', null, 0);
const levels = (book: OrderBook, side: 'buy' | 'sell'): Array<[number, number, number]> =>
  [...book.sideOf(side).levels].reverse().map((l) => [l.price, l.total, l.count]);

describe('OrderBook', () => {
  it('keeps levels sorted best first, totals per level and O(1) removal anywhere in a FIFO', () => {
    const book = new OrderBook();
    const orders = [order('buy', 100, 5), order('buy', 102, 1), order('buy', 101, 2), order('buy', 100, 3), order('sell', 105, 4), order('sell', 103, 1)];
    orders.forEach((o) => book.add(o));
    expect(levels(book, 'buy')).toEqual([[102, 1, 1], [101, 2, 1], [100, 8, 2]]);
    expect(levels(book, 'sell')).toEqual([[103, 1, 1], [105, 4, 1]]);
    book.remove(orders[0]!);
    expect(book.sideOf('buy').level(100)!.head).toBe(orders[3]);
    book.remove(orders[2]!);
    expect(levels(book, 'buy')).toEqual([[102, 1, 1], [100, 3, 1]]);
    book.begin(7);
    book.reduce(orders[4]!, 4);
    expect(levels(book, 'sell')).toEqual([[103, 1, 1]]);
    expect(book.changed.slice(0, book.changedCount).map((l) => [l.price, l.total])).toEqual([[105, 0]]);
  });

  it('matches in price-time priority and quotes what a match would do without doing it', () => {
    const book = new OrderBook();
    const makers = [order('sell', 101, 2), order('sell', 100, 1), order('sell', 100, 5), order('sell', 103, 9)];
    makers.forEach((o) => book.add(o));
    const taker = order('buy', 102, 7);
    const quote = quoteOrder(book, taker, 102, 1, Infinity, new MatchQuote());
    expect([quote.lots, quote.notional]).toEqual([7, 1 * 100 + 5 * 100 + 1 * 101]);
    expect(levels(book, 'sell')).toEqual([[100, 6, 2], [101, 2, 1], [103, 9, 1]]);

    const out = new MatchBuffer();
    expect(matchOrder(book, taker, 102, false, 1, out)).toBe(MatchEnd.Exhausted);
    expect(Array.from({ length: out.length }, (_, i) => [out.steps[i], out.makers[i]!.id, out.lots[i], out.prices[i]])).toEqual([
      [MatchStep.Fill, makers[1]!.id, 1, 100],
      [MatchStep.Fill, makers[2]!.id, 5, 100],
      [MatchStep.Fill, makers[0]!.id, 1, 101],
    ]);
    expect(levels(book, 'sell')).toEqual([[101, 1, 1], [103, 9, 1]]);
  });

  it('stops a funds-bounded taker when the next lot is unaffordable', () => {
    const book = new OrderBook();
    book.add(order('sell', 100, 3));
    book.add(order('sell', 150, 3));
    const taker = new Order(nextId++, 999, 'u', 0, 'buy', 'market', 0, 0, 0, 'IOC', false, 'dc', null, 0);
    taker.notionalLeft = 449;
    const out = new MatchBuffer();
    expect(matchOrder(book, taker, Infinity, true, 1, out)).toBe(MatchEnd.Exhausted);
    expect(out.lots.slice(0, out.length)).toEqual([3, 0].slice(0, out.length));
    expect(taker.notionalLeft).toBe(149);
  });
});
