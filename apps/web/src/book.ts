import Big from 'big.js';
import type { BookJson, FeedMessage } from '@sd/exchange/delivery/http/api-types';
import type { Side } from './types';

/** What the book reads of a whole level-2 book: the REST book (level 2) or the feed's snapshot. */
export type L2Snapshot = Pick<BookJson | FeedMessage<'snapshot'>, 'sequence' | 'bids' | 'asks'>;
/** What the book reads of the feed's level-2 update. */
export type L2Update = Pick<FeedMessage<'l2update'>, 'sequence' | 'changes'>;

export interface Level {
  price: string;
  size: string;
  /** Cumulative size from the best price to this level, for the depth bars. */
  total: string;
}

/**
 * The level-2 book kept from a snapshot and gap-free updates. An update whose sequence is
 * not the previous one + 1 means a message was lost: the caller resubscribes for a new snapshot.
 */
export class OrderBook {
  private sequence: number | null = null;
  private readonly bids = new Map<string, Big>();
  private readonly asks = new Map<string, Big>();

  get ready(): boolean {
    return this.sequence !== null;
  }

  snapshot(message: L2Snapshot): void {
    this.bids.clear();
    this.asks.clear();
    for (const [price, size] of message.bids) this.set(this.bids, price, size);
    for (const [price, size] of message.asks) this.set(this.asks, price, size);
    this.sequence = message.sequence;
  }

  /**
   * 'applied'; 'stale' (already in the snapshot); 'waiting' (no snapshot yet, e.g. right after a
   * resubscribe); or 'gap' (a message was lost: the book is cleared until the next snapshot).
   */
  apply(update: L2Update): 'applied' | 'stale' | 'waiting' | 'gap' {
    if (this.sequence === null) return 'waiting';
    if (update.sequence <= this.sequence) return 'stale';
    if (update.sequence !== this.sequence + 1) {
      this.reset();
      return 'gap';
    }
    for (const [side, price, size] of update.changes) this.set(side === 'buy' ? this.bids : this.asks, price, size);
    this.sequence = update.sequence;
    return 'applied';
  }

  reset(): void {
    this.sequence = null;
    this.bids.clear();
    this.asks.clear();
  }

  /** The best `depth` levels of a side, best first, with cumulative totals. */
  levels(side: Side, depth: number): Level[] {
    const book = side === 'buy' ? this.bids : this.asks;
    const prices = [...book.keys()].map((p) => new Big(p));
    prices.sort((a, b) => (side === 'buy' ? b.cmp(a) : a.cmp(b)));
    let total = new Big(0);
    return prices.slice(0, depth).map((price) => {
      const size = book.get(price.toFixed()) as Big;
      total = total.plus(size);
      return { price: price.toFixed(), size: size.toFixed(), total: total.toFixed() };
    });
  }

  private set(book: Map<string, Big>, price: string, size: string): void {
    // Keys are normalised so "100.0" in a snapshot and "100" in an update are one level.
    const key = new Big(price).toFixed();
    const amount = new Big(size);
    if (amount.eq(0)) book.delete(key);
    else book.set(key, amount);
  }
}
