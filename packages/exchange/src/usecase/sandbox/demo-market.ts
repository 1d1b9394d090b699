import Big from 'big.js';
import { isDomainError } from '@sd/domain/errors';
import type { TradeStore } from '@sd/domain/exchange/market-data';
import type { Logger } from '@sd/domain/logger';
import type { EngineReader } from '../core/engine/engine-reader';
import { Prng } from '../core/prng';
import type { TradingUseCase } from '../write/trading.usecase';
import { ProductGrid } from './product-grid';
import { sandboxMaker, sandboxTaker, type SandboxFunds } from './sandbox-funds';

export interface DemoMarketOptions {
  /** Seeds every random choice: the walk, the takers' sides, sizes and intervals. */
  seed: number;
  /** Dollar prices of currencies: a product's mid before it ever traded is base over quote. */
  prices: Readonly<Record<string, string>>;
  /** The maker's quotes a side. */
  levels: number;
  /** Takers per product. */
  takers: number;
  /** The most of the opposite side's visible depth one taker order takes, in percent. */
  takerSharePercent: number;
  /** How often the maker walks its reference price and quotes again. */
  quoteEveryMs: number;
  /** Each taker waits between these before its next order. */
  takerEveryMs: { min: number; max: number };
}

export const DEMO_MARKET_DEFAULTS: Omit<DemoMarketOptions, 'seed' | 'prices'> = {
  levels: 5,
  takers: 3,
  takerSharePercent: 20,
  quoteEveryMs: 1000,
  takerEveryMs: { min: 300, max: 2000 },
};

/**
 * The maker's quotes are this many minimum sizes; a taker order 1 to TAKER_SIZE_MULTIPLE of
 * them, so the takers nibble at the book between two quote rounds rather than empty a side.
 */
const MAKER_SIZE_MULTIPLE = 100;
const TAKER_SIZE_MULTIPLE = 20;
/** The walk stays within this many basis points of where it started. */
const WALK_BAND_BP = 200;
/** Dollars' worth of each currency a demo trader is funded with (units of a currency without a price: the same number). */
const FUND_USD = 1_000_000;

/** One basis point of `ticks`, at least one tick: the walk's step and the distance between quotes. */
export const basisPoint = (ticks: number): number => Math.max(1, Math.round(ticks / 10_000));

/** A product's mid before it traded, in ticks: base over quote dollar prices when both are known, else 10,000 ticks (a tick is a basis point). */
export function startingMid(grid: ProductGrid, prices: Readonly<Record<string, string>>): number {
  const base = prices[grid.spec.base.id];
  const quote = prices[grid.spec.quote.id];
  if (base === undefined || quote === undefined) return 10_000;
  return Math.max(1, new Big(base).div(quote).div(grid.spec.priceIncrement).round(0, Big.roundHalfUp).toNumber());
}

/** The next reference price: a basis point up, down or unchanged, kept within WALK_BAND_BP of `anchor`. */
export function walk(prng: Prng, reference: number, anchor: number): number {
  const band = basisPoint(anchor) * WALK_BAND_BP;
  const next = reference + prng.int(-1, 1) * basisPoint(anchor);
  return Math.min(anchor + band, Math.max(Math.max(1, anchor - band), next));
}

/** `levels` prices a side, a step apart, strictly outside `reference` (bids below it, best first; asks above it). */
export function ladder(reference: number, levels: number, step: number): { bids: number[]; asks: number[] } {
  const bids: number[] = [];
  const asks: number[] = [];
  for (let level = 1; level <= levels; level++) {
    if (reference - level * step > 0) bids.push(reference - level * step);
    asks.push(reference + level * step);
  }
  return { bids, asks };
}

/**
 * The maker's commands that put its ladder up again, for one batch: its old quotes cancelled
 * first, then each quote post-only, so it never trades. A quote refused in a way `refused`
 * tolerates is left out; any other refusal fails its promise.
 */
export function requoteLadder(
  trading: TradingUseCase,
  productId: string,
  grid: ProductGrid,
  quotes: { bids: readonly number[]; asks: readonly number[] },
  lots: number,
  refused: (error: unknown) => undefined,
): Array<Promise<unknown>> {
  const maker = sandboxMaker(productId);
  const place = (side: 'buy' | 'sell', ticks: number): Promise<unknown> =>
    trading.placeOrder(maker, { productId, side, orderType: 'limit', price: grid.price(ticks), size: grid.size(lots), postOnly: true }).catch(refused);
  return [trading.cancelAll(maker, productId), ...quotes.bids.map((ticks) => place('buy', ticks)), ...quotes.asks.map((ticks) => place('sell', ticks))];
}

/**
 * A taker order's size in lots: 1 to TAKER_SIZE_MULTIPLE times the fewest lots it may have,
 * never more than `sharePercent` of the opposite side's visible depth; 0 (no order) when that
 * share is below the fewest lots.
 */
export function takerLots(prng: Prng, minLots: number, depthLots: number, sharePercent: number): number {
  const cap = Math.floor((depthLots * sharePercent) / 100);
  const lots = Math.min(minLots * prng.int(1, TAKER_SIZE_MULTIPLE), cap);
  return lots < minLots ? 0 : lots;
}

/** The size of each of the maker's quotes, in lots: MAKER_SIZE_MULTIPLE times the fewest lots its lowest quote (`lowestTicks`) may have. */
export function makerLots(grid: ProductGrid, lowestTicks: number): number {
  return grid.minLots(lowestTicks) * MAKER_SIZE_MULTIPLE;
}

/** Quote minor units worth FUND_USD of the currency (FUND_USD units without a price). */
function demoFund(currency: { id: string; scale: number }, prices: Readonly<Record<string, string>>): number {
  const price = prices[currency.id];
  const whole = price === undefined ? new Big(FUND_USD) : new Big(FUND_USD).div(price).round(0, Big.roundDown);
  return whole.times(new Big(10).pow(currency.scale)).toNumber();
}

interface ProductFlow {
  grid: ProductGrid;
  prng: Prng;
  anchor: number;
  reference: number;
  takers: Prng[];
}

export interface DemoMarketParts {
  trading: TradingUseCase;
  funds: SandboxFunds;
  reader: EngineReader;
  /** Where the walk continues from after a restart: the product's last trade. */
  trades: TradeStore;
  logger: Logger;
}

/**
 * A live market on every online product, through the same use cases as any user: a maker
 * (its own account) quotes a ladder around a reference price that takes a seeded random
 * walk, and a few takers (each its own account) cross the book at random intervals with
 * limit IOC orders at the best opposite price, never more than a share of that side's depth.
 * Their orders are ordinary orders: a user's order trades with them like with anyone.
 */
export class DemoMarket {
  private readonly flows = new Map<string, ProductFlow>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private running = false;

  constructor(
    private readonly parts: DemoMarketParts,
    private readonly options: DemoMarketOptions,
  ) {}

  /** Quotes every online product once (so the book is there when this resolves), then keeps quoting and taking until `stop`. */
  async start(): Promise<void> {
    this.running = true;
    const products = this.parts.reader.engine.catalog.products.filter((product) => product.status === 'online');
    for (const product of products) await this.quote(product.id);
    for (const product of products) {
      this.every(this.options.quoteEveryMs, () => this.options.quoteEveryMs, () => this.quote(product.id));
      const flow = this.flows.get(product.id)!;
      for (let taker = 1; taker <= this.options.takers; taker++) {
        const prng = flow.takers[taker - 1]!;
        const interval = (): number => prng.int(this.options.takerEveryMs.min, this.options.takerEveryMs.max);
        this.every(interval(), interval, () => this.take(product.id, taker));
      }
    }
  }

  /** Stops the timers and waits for the orders in flight. */
  async stop(): Promise<void> {
    this.running = false;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.all(this.inFlight);
  }

  /**
   * One round of the maker: the reference walks a step, and in one batch the old quotes are
   * cancelled and the ladder is quoted around it (the book is never empty in between).
   */
  async quote(productId: string): Promise<void> {
    const flow = await this.flow(productId);
    if (flow === null) return;
    const { grid } = flow;
    const maker = sandboxMaker(productId);
    flow.reference = walk(flow.prng, flow.reference, flow.anchor);
    const { bids, asks } = ladder(flow.reference, this.options.levels, basisPoint(flow.anchor));
    const lots = makerLots(grid, bids.at(-1) ?? flow.reference);
    const { base, quote } = grid.spec;
    // What the old quotes hold comes back only when the batch cancels them: the new ones must be covered without it.
    await this.parts.funds.ensure(maker, base, grid.baseUnits(lots) * asks.length, demoFund(base, this.options.prices));
    await this.parts.funds.ensure(maker, quote, bids.reduce((sum, ticks) => sum + grid.buyCost(ticks, lots), 0), demoFund(quote, this.options.prices));
    // Submitted in one tick: one batch, the cancel first.
    await Promise.all(requoteLadder(this.parts.trading, productId, grid, { bids, asks }, lots, refusedIsFine));
  }

  /** One order of a taker: a random side, a limit IOC at the best opposite price, sized by `takerLots`. */
  async take(productId: string, taker: number): Promise<void> {
    const flow = await this.flow(productId);
    if (flow === null) return;
    const { grid } = flow;
    const prng = flow.takers[taker - 1]!;
    const side = prng.chance(0.5) ? 'buy' : 'sell';
    const book = this.parts.reader.engine.level2(productId, this.options.levels * 2);
    const opposite = side === 'buy' ? book?.asks : book?.bids;
    if (opposite === undefined || opposite.length === 0) return;
    const { tickUnits, lotUnits } = grid.spec;
    const ticks = opposite[0]![0] / tickUnits;
    const depthLots = opposite.reduce((sum, [, size]) => sum + size / lotUnits, 0);
    const lots = takerLots(prng, grid.minLots(ticks), depthLots, this.options.takerSharePercent);
    if (lots === 0) return;
    const userId = sandboxTaker(productId, taker);
    const { base, quote } = grid.spec;
    if (side === 'buy') await this.parts.funds.ensure(userId, quote, grid.buyCost(ticks, lots), demoFund(quote, this.options.prices));
    else await this.parts.funds.ensure(userId, base, grid.baseUnits(lots), demoFund(base, this.options.prices));
    await this.parts.trading.placeOrder(userId, { productId, side, orderType: 'limit', price: grid.price(ticks), size: grid.size(lots), timeInForce: 'IOC' }).catch(refusedIsFine);
  }

  /** The product's walk, started from its last trade (or its configured mid) the first time; null once it is no longer listed. */
  private async flow(productId: string): Promise<ProductFlow | null> {
    const known = this.flows.get(productId);
    if (known !== undefined) return known;
    const spec = this.parts.reader.engine.catalog.product(productId);
    if (spec === undefined) return null;
    const grid = new ProductGrid(spec);
    const [last] = await this.parts.trades.list(productId, { limit: 1 });
    const anchor = last === undefined ? startingMid(grid, this.options.prices) : grid.snapPrice(last.price).steps;
    // Each product and taker draws from its own stream: adding a product changes nobody else's.
    const seed = this.options.seed + 1000 * spec.index;
    const takers = Array.from({ length: this.options.takers }, (_, i) => new Prng(seed + i + 1));
    const flow: ProductFlow = { grid, prng: new Prng(seed), anchor, reference: anchor, takers };
    this.flows.set(productId, flow);
    return flow;
  }

  /** Runs `round` after `firstMs`, then again `nextMs()` after each round ends, until `stop`. */
  private every(firstMs: number, nextMs: () => number, round: () => Promise<void>): void {
    if (!this.running) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const running = round()
        .catch((error: unknown) => this.parts.logger.warn({ err: error }, 'demo market round failed'))
        .finally(() => {
          this.inFlight.delete(running);
          this.every(nextMs(), nextMs, round);
        });
      this.inFlight.add(running);
    }, firstMs);
    timer.unref();
    this.timers.add(timer);
  }
}

/** A refusal (post-only would cross, nothing left to take) is part of trading; anything else is the round's failure. */
function refusedIsFine(error: unknown): undefined {
  if (isDomainError(error) && error.kind === 'refused') return undefined;
  throw error;
}
