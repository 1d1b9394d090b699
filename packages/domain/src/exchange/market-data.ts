import type { IdPage } from './account-ledger';
import type { OrderSide } from './command';

/**
 * Public market data the quotation projector derives from match events. Amounts are decimal
 * strings at the product's scales (prices in the quote currency, sizes in the base
 * currency), exactly as the API shows them.
 */
export interface Trade {
  productId: string;
  /** Global and increasing: a later trade has a larger id. */
  tradeId: number;
  price: string;
  size: string;
  /** The maker's side. */
  side: OrderSide;
  /** Epoch milliseconds of the command that traded. */
  time: number;
  sequence: number;
}

/** Candle widths in seconds that the exchange keeps. */
export const CANDLE_GRANULARITIES = [60, 300, 900, 3600, 21600, 86400] as const;
export type CandleGranularity = (typeof CANDLE_GRANULARITIES)[number];

/** One bucket of trades; `time` is the bucket start in epoch seconds. */
export interface Candle {
  productId: string;
  granularity: CandleGranularity;
  time: number;
  low: string;
  high: string;
  open: string;
  close: string;
  /** Base currency traded in the bucket. */
  volume: string;
  /** Sequence of the last command merged in: a redelivered trade at or below it is skipped. */
  lastSequence: number;
}

export interface CandleKey {
  productId: string;
  granularity: CandleGranularity;
  time: number;
}

export interface CandleRange {
  /** Inclusive bounds on the bucket start, in epoch seconds. */
  start?: number;
  end?: number;
  limit: number;
}

/**
 * Candles by product and granularity. Writes come from one projector at a time (the single
 * consumer of the outcome log), which reads, merges and saves.
 */
export interface CandleStore {
  find(keys: readonly CandleKey[]): Promise<Candle[]>;
  /**
   * Inserts or replaces each candle, unless the stored one already has a `lastSequence` at or
   * above it: a save replayed after a crash never moves a candle backwards.
   */
  save(candles: readonly Candle[]): Promise<void>;
  /** Newest first. */
  list(productId: string, granularity: CandleGranularity, range: CandleRange): Promise<Candle[]>;
}

export const CandleStore = Symbol.for('sd.exchange.CandleStore');

/** Paged by trade id. */
export type TradePage = IdPage;

export interface TradeStore {
  /** Idempotent: a trade already stored (same product and id) is left as it is. */
  insert(trades: readonly Trade[]): Promise<void>;
  /** Newest first. */
  list(productId: string, page: TradePage): Promise<Trade[]>;
}

export const TradeStore = Symbol.for('sd.exchange.TradeStore');
