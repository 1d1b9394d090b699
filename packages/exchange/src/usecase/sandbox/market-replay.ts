import { basename } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isDomainError } from '@sd/domain/errors';
import type { ReplayClock } from '@sd/domain/exchange/clock';
import type { TapeFormat, TapeSource, TapeTrade, TradeTape } from '@sd/domain/exchange/tape';
import type { CurrencySpec } from '../core/catalog/product-catalog';
import type { EngineReader } from '../core/engine/engine-reader';
import type { TradingUseCase } from '../write/trading.usecase';
import { basisPoint, ladder, makerLots, requoteLadder } from './demo-market';
import { ProductGrid } from './product-grid';
import { sandboxMaker, sandboxTaker, type SandboxFunds } from './sandbox-funds';

export interface MarketReplayOptions {
  file: string;
  /** Guessed by the tape source when absent. */
  format?: TapeFormat;
  productId: string;
  /** Tape seconds per real second, or `max`: as fast as the engine goes. */
  speed: number | 'max';
  /** The maker's ladder: quotes a side. */
  levels: number;
}

export type ReplayState = 'waiting' | 'running' | 'done' | 'failed';

export interface ReplayStatus {
  productId: string;
  /** The tape's file name, without its directory. */
  file: string;
  format: TapeFormat | null;
  state: ReplayState;
  speed: number | 'max';
  tradesReplayed: number;
  /** Tape trades whose price or size was off the product's grid and was rounded to it. */
  tradesSnapped: number;
  bytesRead: number;
  bytesTotal: number;
  /** The time of the last tape trade replayed. */
  tapeTime: number | null;
  error: string | null;
}

export interface MarketReplayParts {
  trading: TradingUseCase;
  funds: SandboxFunds;
  reader: EngineReader;
  clock: ReplayClock;
  tapes: TapeSource;
}

/** A trader short of funds gets this many times what it needs, so deposits are rare… */
const FUND_TRADES = 1000;
/** …but never so much that a balance could leave the engine's exact integers (2^53). */
const FUND_CAP = 2 ** 48;
const fundFor = (need: number): number => Math.min(need * FUND_TRADES, FUND_CAP);

/**
 * Makes each trade of a recorded tape happen again on one product, at the tape's time. For a
 * tape trade of S at P taken by a buyer (or seller): the clock is set to its time; the maker
 * requotes its ladder around P when P would touch it (the ladder stays strictly outside P);
 * the maker rests S at P on the passive side and a taker crosses it with a limit IOC at P
 * for S, both in one batch; a remainder the taker did not fill (a user was in front) is
 * cancelled. Every command of a tape trade is answered before the clock moves on, so
 * timestamps and batches (hence the journal) depend on the tape only, not on timing.
 */
export class MarketReplay {
  private tape: TradeTape | null = null;
  private trades: AsyncIterator<TapeTrade> | null = null;
  private first: TapeTrade | null = null;
  private state: ReplayState = 'waiting';
  private replayed = 0;
  private snapped = 0;
  private tapeTime: number | null = null;
  private error: string | null = null;
  private readonly stopping = new AbortController();
  /** The reference price the maker's ladder is quoted around, in ticks; null before the first quote. */
  private ladderAt: number | null = null;
  private grid!: ProductGrid;

  constructor(
    private readonly parts: MarketReplayParts,
    private readonly options: MarketReplayOptions,
  ) {}

  /**
   * Opens the tape and sets the clock to its first trade's time, so that whatever is sequenced
   * before the replay runs (sign-ups' deposits, say) is stamped no later than the tape. Refuses
   * a product the exchange does not list, an empty tape, and an engine already past the tape's first time.
   */
  async open(): Promise<void> {
    const { engine } = this.parts.reader;
    const spec = engine.catalog.product(this.options.productId);
    if (spec === undefined) throw new Error(`replay: the exchange lists no product ${this.options.productId}`);
    this.grid = new ProductGrid(spec);
    this.tape = await this.parts.tapes.open(this.options.file, this.options.format);
    this.trades = this.tape[Symbol.asyncIterator]();
    const first = await this.trades.next();
    if (first.done === true) throw new Error(`replay: ${this.options.file} holds no trade`);
    this.first = first.value;
    if (engine.lastTimestamp > this.first.time) {
      throw new Error(
        `replay: the journal already holds commands of ${new Date(engine.lastTimestamp).toISOString()}, after the tape's first trade (${new Date(this.first.time).toISOString()}); a replay needs a fresh data directory (DATA_DIR)`,
      );
    }
    this.parts.clock.set(this.first.time);
  }

  /** Replays the tape to its end (or `stop`); a failure ends it as `failed` with the error. The clock then runs on in real time. */
  async run(): Promise<void> {
    if (this.trades === null || this.first === null) throw new Error('replay: open the tape first');
    this.state = 'running';
    const started = Date.now();
    try {
      for (let trade: TapeTrade | null = this.first; trade !== null && !this.stopping.signal.aborted; trade = await this.next()) {
        if (this.options.speed !== 'max') await pace(started + (trade.time - this.first.time) / this.options.speed, this.stopping.signal);
        if (!this.stopping.signal.aborted) await this.replayTrade(trade);
      }
      this.state = 'done';
    } catch (error) {
      this.state = 'failed';
      this.error = error instanceof Error ? error.message : String(error);
    } finally {
      this.parts.clock.runOn();
    }
  }

  /** Ends the run after the tape trade in progress (a wait for the next one ends at once). */
  stop(): void {
    this.stopping.abort();
  }

  status(): ReplayStatus {
    const progress = this.tape?.progress() ?? { bytesRead: 0, bytesTotal: 0 };
    return {
      productId: this.options.productId,
      file: basename(this.options.file),
      format: this.tape?.format ?? this.options.format ?? null,
      state: this.state,
      speed: this.options.speed,
      tradesReplayed: this.replayed,
      tradesSnapped: this.snapped,
      ...progress,
      tapeTime: this.tapeTime,
      error: this.error,
    };
  }

  get current(): ReplayState {
    return this.state;
  }

  private async next(): Promise<TapeTrade | null> {
    const next = await this.trades!.next();
    return next.done === true ? null : next.value;
  }

  /**
   * One tape trade, in one batch when nobody is in the way: deposits the traders are short of,
   * the ladder requoted around P when P would touch it, the maker's order resting S at P, the
   * taker's limit IOC for S at P. All are submitted in the same tick (the sequencer batches
   * what a tick submits, in submission order). A remainder the taker left is cancelled after.
   */
  private async replayTrade(trade: TapeTrade): Promise<void> {
    const { grid } = this;
    const { productId } = this.options;
    const price = grid.snapPrice(trade.price);
    const snappedSize = grid.snapSize(trade.size);
    // A trade below the product's minimum funds is raised to it, like one below its minimum size.
    const minLots = grid.minLots(price.steps);
    const size = { steps: Math.max(snappedSize.steps, minLots), snapped: snappedSize.snapped || snappedSize.steps < minLots };
    if (price.snapped || size.snapped) this.snapped++;
    this.parts.clock.set(trade.time);
    const maker = sandboxMaker(productId);
    const taker = sandboxTaker(productId, 1);
    const passive = trade.takerSide === 'buy' ? 'sell' : 'buy';
    const needs = new Needs(grid);
    needs.order(maker, passive, price.steps, size.steps);
    needs.order(taker, trade.takerSide, price.steps, size.steps);
    const requote = this.ladderAt === null || Math.abs(price.steps - this.ladderAt) >= basisPoint(this.ladderAt) ? ladder(price.steps, this.options.levels, basisPoint(price.steps)) : null;
    const quoteLots = requote === null ? 0 : makerLots(grid, requote.bids.at(-1) ?? price.steps);
    if (requote !== null) {
      for (const ticks of requote.bids) needs.order(maker, 'buy', ticks, quoteLots);
      for (const ticks of requote.asks) needs.order(maker, 'sell', ticks, quoteLots);
    }
    const { trading, funds } = this.parts;
    const deposits = needs.list().map(({ userId, currency, units }) => funds.ensure(userId, currency, units, fundFor(units)));
    const quotes = requote === null ? [] : requoteLadder(trading, productId, grid, requote, quoteLots, unlessInTheWay);
    const order = { productId, orderType: 'limit', price: grid.price(price.steps), size: grid.size(size.steps) } as const;
    const rest = trading.placeOrder(maker, { ...order, side: passive });
    const take = trading.placeOrder(taker, { ...order, side: trade.takerSide, timeInForce: 'IOC' });
    const settled = await Promise.allSettled([...deposits, ...quotes, rest, take]);
    const failed = settled.find((result) => result.status === 'rejected');
    if (failed !== undefined) throw (failed as PromiseRejectedResult).reason;
    if (requote !== null) this.ladderAt = price.steps;
    const rested = await rest;
    if (this.parts.reader.engine.order(rested.id) !== null) await trading.cancelOrder(maker, String(rested.id));
    this.replayed++;
    this.tapeTime = trade.time;
  }
}

/** What each trader needs available for the orders of one batch, per currency, in minor units. */
class Needs {
  private readonly needs = new Map<string, { userId: string; currency: CurrencySpec; units: number }>();

  constructor(private readonly grid: ProductGrid) {}

  order(userId: string, side: 'buy' | 'sell', ticks: number, lots: number): void {
    const { grid } = this;
    const [currency, units] = side === 'buy' ? [grid.spec.quote, grid.buyCost(ticks, lots)] : [grid.spec.base, grid.baseUnits(lots)];
    const key = `${userId} ${currency.id}`;
    const need = this.needs.get(key) ?? { userId, currency, units: 0 };
    need.units += units;
    this.needs.set(key, need);
  }

  list(): Array<{ userId: string; currency: CurrencySpec; units: number }> {
    return [...this.needs.values()];
  }
}

/** A ladder quote a user's order is in the way of is refused (post-only): the ladder goes on without it. */
function unlessInTheWay(error: unknown): undefined {
  if (isDomainError(error) && error.code === 'EXCHANGE.POST_ONLY_WOULD_CROSS') return undefined;
  throw error;
}

/** Waits until real time `at` (epoch ms), or until `signal` aborts; no wait when it has passed. */
async function pace(at: number, signal: AbortSignal): Promise<void> {
  const wait = at - Date.now();
  if (wait > 0) await sleep(wait, undefined, { signal }).catch(() => undefined);
}
