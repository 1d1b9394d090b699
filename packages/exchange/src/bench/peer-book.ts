import { OrderBook, Side } from 'nodejs-order-book';
import { CANCEL, LIMIT, type BookFlow } from './book-flow';

/** Runs a flow through nodejs-order-book; string ids are made before any timing starts. */
export class PeerBook {
  readonly book = new OrderBook();
  private readonly names: string[];

  constructor(private readonly flow: BookFlow) {
    this.names = Array.from(flow.ids, (id) => `o${id}`);
  }

  step(i: number): void {
    const flow = this.flow;
    const kind = flow.kinds[i];
    const side = flow.sides[i] === 0 ? Side.BUY : Side.SELL;
    if (kind === LIMIT) this.book.limit({ side, id: this.names[i]!, size: flow.sizes[i]!, price: flow.prices[i]! });
    else if (kind === CANCEL) this.book.cancel(this.names[i]!);
    else this.book.market({ side, size: flow.sizes[i]! });
  }

  depth(): [Array<[number, number]>, Array<[number, number]>] {
    return this.book.depth();
  }
}
