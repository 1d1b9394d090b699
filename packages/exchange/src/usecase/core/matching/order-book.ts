import type { OrderSide } from '@sd/domain/exchange/command';
import type { Order } from './order';

/** One price: total lots and the FIFO of its orders, oldest at `head`. */
export class PriceLevel {
  total = 0;
  count = 0;
  head: Order | null = null;
  tail: Order | null = null;
  /** Stamp of the last change, so a level is reported once per command. */
  mark = -1;

  constructor(
    readonly side: OrderSide,
    readonly price: number,
  ) {}
}

/**
 * One side of a book: levels sorted from worst to best, so the best level is the last
 * element (read and popped in O(1)) and most inserts land near the end of the array.
 */
export class BookSide {
  readonly levels: PriceLevel[] = [];
  private readonly byPrice = new Map<number, PriceLevel>();
  private readonly sign: number;

  constructor(readonly side: OrderSide) {
    // Sort key: ascending for bids, descending prices for asks, best last in both.
    this.sign = side === 'buy' ? 1 : -1;
  }

  best(): PriceLevel | undefined {
    return this.levels[this.levels.length - 1];
  }

  level(price: number): PriceLevel | undefined {
    return this.byPrice.get(price);
  }

  levelFor(price: number): PriceLevel {
    const existing = this.byPrice.get(price);
    if (existing !== undefined) return existing;
    const level = new PriceLevel(this.side, price);
    this.byPrice.set(price, level);
    const levels = this.levels;
    const key = price * this.sign;
    const last = levels[levels.length - 1];
    if (last === undefined || key > last.price * this.sign) {
      levels.push(level);
    } else {
      levels.splice(this.firstAbove(key), 0, level);
    }
    return level;
  }

  drop(level: PriceLevel): void {
    this.byPrice.delete(level.price);
    const levels = this.levels;
    if (levels[levels.length - 1] === level) {
      levels.pop();
    } else {
      levels.splice(this.firstAbove(level.price * this.sign) - 1, 1);
    }
  }

  /** Index of the first level whose key is above `key` (binary search). */
  private firstAbove(key: number): number {
    const levels = this.levels;
    let low = 0;
    let high = levels.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((levels[mid] as PriceLevel).price * this.sign > key) high = mid;
      else low = mid + 1;
    }
    return low;
  }
}

/**
 * Price-time priority book of one product: price levels per side, FIFO per level, O(1)
 * removal of any order. It also lists the levels changed since `begin(stamp)` for the
 * level-2 deltas the engine emits.
 */
export class OrderBook {
  readonly bids = new BookSide('buy');
  readonly asks = new BookSide('sell');
  /** Levels changed since `begin`: the first `changedCount` entries (a count, not `length = 0`, which is slow). */
  readonly changed: PriceLevel[] = [];
  changedCount = 0;
  private stamp = 0;

  begin(stamp: number): void {
    this.stamp = stamp;
    this.changedCount = 0;
  }

  sideOf(side: OrderSide): BookSide {
    return side === 'buy' ? this.bids : this.asks;
  }

  /** The side an order of `side` trades against. */
  opposite(side: OrderSide): BookSide {
    return side === 'buy' ? this.asks : this.bids;
  }

  add(order: Order): void {
    const level = this.sideOf(order.side).levelFor(order.price);
    order.level = level;
    order.prev = level.tail;
    order.next = null;
    if (level.tail === null) level.head = order;
    else level.tail.next = order;
    level.tail = order;
    level.count++;
    level.total += order.remaining;
    this.touch(level);
  }

  remove(order: Order): void {
    const level = order.level as PriceLevel;
    level.total -= order.remaining;
    this.unlink(order, level);
  }

  /** Takes `lots` off a resting order; a fully consumed order leaves the book. */
  reduce(order: Order, lots: number): void {
    const level = order.level as PriceLevel;
    order.remaining -= lots;
    level.total -= lots;
    if (order.remaining === 0) this.unlink(order, level);
    else this.touch(level);
  }

  private unlink(order: Order, level: PriceLevel): void {
    const { prev, next } = order;
    if (prev === null) level.head = next;
    else prev.next = next;
    if (next === null) level.tail = prev;
    else next.prev = prev;
    order.prev = null;
    order.next = null;
    order.level = null;
    level.count--;
    this.touch(level);
    if (level.count === 0) this.sideOf(level.side).drop(level);
  }

  private touch(level: PriceLevel): void {
    if (level.mark !== this.stamp) {
      level.mark = this.stamp;
      this.changed[this.changedCount++] = level;
    }
  }
}
