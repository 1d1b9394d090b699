import type { OrderSide } from '@sd/domain/exchange/command';
import { MatchBuffer, matchOrder } from '../usecase/core/matching/matcher';
import { Order } from '../usecase/core/matching/order';
import { OrderBook } from '../usecase/core/matching/order-book';

/**
 * The engine's matching core on its own, for the side-by-side benchmark: the production
 * OrderBook and matcher plus an id index, no balances, like the peer package. Every order
 * has its own owner, so self-trade prevention never fires.
 */
export class BookCore {
  readonly book = new OrderBook();
  private readonly orders = new Map<number, Order>();
  private readonly matches = new MatchBuffer();
  private stamp = 0;
  fills = 0;

  limit(id: number, side: OrderSide, price: number, size: number): void {
    const order = new Order(id, id, '', 0, side, 'limit', price, size, size, 'GTC', false, 'dc', null, 0);
    this.book.begin(++this.stamp);
    matchOrder(this.book, order, price, false, 1, this.matches);
    this.dropFilled();
    if (order.remaining > 0) {
      this.book.add(order);
      this.orders.set(id, order);
    }
  }

  market(id: number, side: OrderSide, size: number): void {
    const order = new Order(id, id, '', 0, side, 'market', 0, size, size, 'IOC', false, 'dc', null, 0);
    this.book.begin(++this.stamp);
    matchOrder(this.book, order, side === 'buy' ? Infinity : 0, false, 1, this.matches);
    this.dropFilled();
  }

  cancel(id: number): boolean {
    const order = this.orders.get(id);
    if (order === undefined) return false;
    this.book.begin(++this.stamp);
    this.book.remove(order);
    this.orders.delete(id);
    return true;
  }

  has(id: number): boolean {
    return this.orders.has(id);
  }

  /** Ids of the orders a match just filled completely (valid until the next operation). */
  filledIds(out: number[]): number[] {
    out.length = 0;
    const m = this.matches;
    for (let i = 0; i < m.length; i++) if (m.makers[i]!.remaining === 0) out.push(m.makers[i]!.id);
    return out;
  }

  /** [asks, bids] as [price, total size], best price first. */
  depth(): [Array<[number, number]>, Array<[number, number]>] {
    const rows = (side: typeof this.book.asks): Array<[number, number]> => side.levels.map((l): [number, number] => [l.price, l.total]).reverse();
    return [rows(this.book.asks), rows(this.book.bids)];
  }

  private dropFilled(): void {
    const m = this.matches;
    this.fills += m.length;
    for (let i = 0; i < m.length; i++) {
      const maker = m.makers[i]!;
      if (maker.remaining === 0) this.orders.delete(maker.id);
    }
  }
}
