import type { Order } from './order';
import type { OrderBook } from './order-book';

/** What happened to a resting order during a match, in the order it happened. */
export const MatchStep = {
  Fill: 0,
  /** Canceled by self-trade prevention. */
  SelfTradeCancel: 1,
  /** Shrunk by self-trade prevention (decrement and cancel). */
  SelfTradeDecrement: 2,
  /** The incoming order shrunk by self-trade prevention: the entry's order is the taker itself. */
  TakerDecrement: 3,
} as const;
export type MatchStep = (typeof MatchStep)[keyof typeof MatchStep];

/** How an incoming order's match ended. */
export const MatchEnd = {
  /** Its size or funds are used up. */
  Exhausted: 0,
  /** The book has nothing more at an acceptable price. */
  NoLiquidity: 1,
  /** Self-trade prevention canceled the incoming order. */
  SelfTrade: 2,
} as const;
export type MatchEnd = (typeof MatchEnd)[keyof typeof MatchEnd];

/**
 * Reusable record of one match: parallel arrays instead of an object per fill, so the
 * matching loop allocates nothing once the arrays have grown.
 */
export class MatchBuffer {
  length = 0;
  readonly steps: MatchStep[] = [];
  readonly makers: Order[] = [];
  readonly lots: number[] = [];
  readonly prices: number[] = [];

  push(step: MatchStep, maker: Order, lots: number, price: number): void {
    const i = this.length++;
    this.steps[i] = step;
    this.makers[i] = maker;
    this.lots[i] = lots;
    this.prices[i] = price;
  }
}

/**
 * Matches `taker` against the opposite side of `book` in price-time priority, down to
 * `limit` ticks (Infinity for a market buy, 0 for a market sell). With `byFunds` the taker
 * is bounded by `taker.notionalLeft` instead of `taker.remaining`. Resting orders are
 * reduced or removed from the book; `out` is cleared, then records what the caller settles.
 */
export function matchOrder(book: OrderBook, taker: Order, limit: number, byFunds: boolean, lotTickUnits: number, out: MatchBuffer): MatchEnd {
  out.length = 0;
  const side = book.opposite(taker.side);
  const isBuy = taker.side === 'buy';
  for (;;) {
    const level = side.best();
    if (level === undefined) return MatchEnd.NoLiquidity;
    const price = level.price;
    if (isBuy ? price > limit : price < limit) return MatchEnd.NoLiquidity;
    const maker = level.head as Order;
    if (maker.owner === taker.owner) {
      const stp = taker.stp;
      if (stp === 'cn') return MatchEnd.SelfTrade;
      if (stp === 'co' || stp === 'cb' || byFunds) {
        // A taker by funds has no size to decrement, so the resting order goes.
        out.push(MatchStep.SelfTradeCancel, maker, maker.remaining, price);
        book.remove(maker);
        if (stp === 'cb') return MatchEnd.SelfTrade;
        continue;
      }
      // Decrement and cancel: the smaller order is canceled, the larger one shrinks by its
      // size (clearing takes it off the order's `size` too); equal sizes cancel both.
      const decrement = maker.remaining < taker.remaining ? maker.remaining : taker.remaining;
      if (decrement === maker.remaining) {
        out.push(MatchStep.SelfTradeCancel, maker, decrement, price);
        book.remove(maker);
      } else {
        out.push(MatchStep.SelfTradeDecrement, maker, decrement, price);
        book.reduce(maker, decrement);
      }
      taker.remaining -= decrement;
      if (taker.remaining === 0) return MatchEnd.SelfTrade;
      out.push(MatchStep.TakerDecrement, taker, decrement, price);
      continue;
    }
    let lots: number;
    if (byFunds) {
      const lotCost = price * lotTickUnits;
      const affordable = Math.floor(taker.notionalLeft / lotCost);
      if (affordable === 0) return MatchEnd.Exhausted;
      lots = maker.remaining < affordable ? maker.remaining : affordable;
      taker.notionalLeft -= lots * lotCost;
    } else {
      lots = maker.remaining < taker.remaining ? maker.remaining : taker.remaining;
      taker.remaining -= lots;
    }
    out.push(MatchStep.Fill, maker, lots, price);
    book.reduce(maker, lots);
    if (!byFunds && taker.remaining === 0) return MatchEnd.Exhausted;
  }
}

/** What an incoming order would fill now, without touching the book. */
export class MatchQuote {
  lots = 0;
  notional = 0;
  /** The walk stopped because notional passed the caller's cap. */
  overCap = false;
}

/**
 * Dry run of `matchOrder` in size mode with the same self-trade rules: how many lots
 * `size` would fill down to `limit` and at what notional. Stops early once the notional
 * exceeds `notionalCap`. Used for fill-or-kill and for the exact cost of a market buy by size.
 */
export function quoteOrder(
  book: OrderBook,
  taker: Order,
  limit: number,
  lotTickUnits: number,
  notionalCap: number,
  out: MatchQuote,
): MatchQuote {
  out.lots = 0;
  out.notional = 0;
  out.overCap = false;
  const levels = book.opposite(taker.side).levels;
  const isBuy = taker.side === 'buy';
  let remaining = taker.remaining;
  for (let i = levels.length - 1; i >= 0 && remaining > 0; i--) {
    const level = levels[i]!;
    const price = level.price;
    if (isBuy ? price > limit : price < limit) break;
    for (let maker = level.head; maker !== null && remaining > 0; maker = maker.next) {
      if (maker.owner === taker.owner) {
        const stp = taker.stp;
        if (stp === 'cn' || stp === 'cb') return out;
        if (stp === 'dc') remaining -= maker.remaining < remaining ? maker.remaining : remaining;
        continue;
      }
      const lots = maker.remaining < remaining ? maker.remaining : remaining;
      remaining -= lots;
      out.lots += lots;
      out.notional += lots * price * lotTickUnits;
      if (out.notional > notionalCap) {
        out.overCap = true;
        return out;
      }
    }
  }
  return out;
}
