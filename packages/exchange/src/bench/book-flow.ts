import { Prng } from '../testing/prng';
import { BookCore } from './book-core';

export const LIMIT = 0;
export const CANCEL = 1;
export const MARKET = 2;

/** A pre-generated order flow in flat typed arrays, so running it allocates nothing of its own. */
export interface BookFlow {
  length: number;
  kinds: Uint8Array;
  /** 0 buy, 1 sell. */
  sides: Uint8Array;
  prices: Int32Array;
  sizes: Int32Array;
  /** Order id of a limit, target of a cancel, fresh id of a market order. */
  ids: Int32Array;
  counts: { limit: number; cancel: number; market: number; crossing: number };
}

/**
 * The mix of perf-anchors §1: ~50 % limit, ~45 % cancel, ~5 % market, ~`resting` orders on a
 * band of ±`band` ticks around a mid, a few percent of limits crossing. Cancels target live
 * orders, found by running the flow through our core while generating it.
 */
export function generateBookFlow(seed: number, length: number, resting = 1_000, band = 400): BookFlow {
  const r = new Prng(seed);
  const flow: BookFlow = {
    length,
    kinds: new Uint8Array(length),
    sides: new Uint8Array(length),
    prices: new Int32Array(length),
    sizes: new Int32Array(length),
    ids: new Int32Array(length),
    counts: { limit: 0, cancel: 0, market: 0, crossing: 0 },
  };
  const core = new BookCore();
  const live: number[] = [];
  const slot = new Map<number, number>();
  const filled: number[] = [];
  const forget = (id: number): void => {
    const at = slot.get(id)!;
    const last = live.pop()!;
    if (last !== id) {
      live[at] = last;
      slot.set(last, at);
    }
    slot.delete(id);
  };
  const mid = 100_000;
  for (let i = 0; i < length; i++) {
    const id = i + 1;
    const roll = r.next();
    const side = r.chance(0.5) ? 0 : 1;
    flow.sides[i] = side;
    if (roll < 0.05) {
      flow.kinds[i] = MARKET;
      flow.sizes[i] = r.int(1, 20);
      flow.ids[i] = id;
      core.market(id, side === 0 ? 'buy' : 'sell', flow.sizes[i]!);
      flow.counts.market++;
    } else if (live.length > 0 && roll < (live.length > resting ? 0.6 : 0.45)) {
      const target = live[r.int(0, live.length - 1)]!;
      flow.kinds[i] = CANCEL;
      flow.ids[i] = target;
      core.cancel(target);
      forget(target);
      flow.counts.cancel++;
      continue;
    } else {
      const crossing = r.chance(0.06);
      const away = crossing ? -r.int(0, 3) : 1 + Math.floor(r.next() ** 2 * band);
      flow.kinds[i] = LIMIT;
      flow.prices[i] = side === 0 ? mid - away : mid + away;
      flow.sizes[i] = r.int(1, 20);
      flow.ids[i] = id;
      core.limit(id, side === 0 ? 'buy' : 'sell', flow.prices[i]!, flow.sizes[i]!);
      if (crossing) flow.counts.crossing++;
      flow.counts.limit++;
      if (core.has(id)) {
        slot.set(id, live.length);
        live.push(id);
      }
    }
    for (const gone of core.filledIds(filled)) if (slot.has(gone)) forget(gone);
  }
  return flow;
}
