import { DomainError, invalidInput } from '@sd/domain/errors';
import { CANDLE_GRANULARITIES, type CandleGranularity, type CandleStore, type Trade, type TradeStore } from '@sd/domain/exchange/market-data';
import { REJECTIONS } from '@sd/domain/exchange/rejection';
import type { ProductCatalog, ProductSpec } from '../../core/catalog/product-catalog';
import { fromUnits, toUnits } from '../../core/money/decimal';
import { idPage, type CursorQuery } from '../paging';

/** `[time, low, high, open, close, volume]`: time is the bucket start in epoch seconds. */
export type CandleRow = [time: number, low: string, high: string, open: string, close: string, volume: string];

export interface Stats24h {
  open: string;
  high: string;
  low: string;
  last: string;
  /** Base currency traded in the last 24 hours. */
  volume: string;
}

/** Paged by trade id. */
export type TradeQuery = CursorQuery;

export interface CandleQuery {
  granularity: number;
  /** Epoch seconds, inclusive. */
  start?: number;
  end?: number;
}

export const MAX_CANDLES = 300;
const DAY = 86_400;

/** Public market data: trades, candles, 24 h stats and the last trade, at the product's scales. */
export class QuotationQueries {
  constructor(
    private readonly catalog: ProductCatalog,
    private readonly candleStore: CandleStore,
    private readonly tradeStore: TradeStore,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Newest first. */
  async trades(productId: string, query: TradeQuery = {}): Promise<Trade[]> {
    this.product(productId);
    return this.tradeStore.list(productId, idPage(query, 'a trade id'));
  }

  async lastTrade(productId: string): Promise<Trade | null> {
    this.product(productId);
    const [last] = await this.tradeStore.list(productId, { limit: 1 });
    return last ?? null;
  }

  /**
   * Newest first, at most 300 rows; buckets without trades are absent. With no range, the
   * latest 300; `start` alone covers the 300 buckets from it. A range wider than 300 buckets
   * is refused, as Coinbase does.
   */
  async candles(productId: string, query: CandleQuery): Promise<CandleRow[]> {
    this.product(productId);
    const granularity = query.granularity;
    if (!(CANDLE_GRANULARITIES as readonly number[]).includes(granularity)) {
      throw invalidInput(`granularity must be one of ${CANDLE_GRANULARITIES.join(', ')}`);
    }
    const { start, end } = query;
    if (start !== undefined && !isCount(start)) throw invalidInput('start must be a time');
    if (end !== undefined && !isCount(end)) throw invalidInput('end must be a time');
    const from = start === undefined ? undefined : start - (start % granularity);
    let to = end;
    if (from !== undefined && to !== undefined) {
      if (to < from) throw invalidInput('start must not be after end');
      if ((to - from) / granularity >= MAX_CANDLES) {
        throw invalidInput(`the range covers more than ${MAX_CANDLES} candles; narrow it or use a larger granularity`);
      }
    } else if (from !== undefined) {
      to = from + (MAX_CANDLES - 1) * granularity;
    }
    const candles = await this.candleStore.list(productId, granularity as CandleGranularity, { start: from, end: to, limit: MAX_CANDLES });
    return candles.map((c) => [c.time, c.low, c.high, c.open, c.close, c.volume]);
  }

  /** The rolling 24 hours to the minute: the 1,440 one-minute buckets that start in it. */
  async stats24h(productId: string): Promise<Stats24h> {
    const product = this.product(productId);
    const now = Math.floor(this.clock() / 1000);
    const candles = await this.candleStore.list(productId, 60, { start: now - DAY + 1, end: now, limit: DAY / 60 });
    const priceScale = product.quote.scale;
    const newest = candles[0];
    const oldest = candles[candles.length - 1];
    if (newest === undefined || oldest === undefined) {
      const last = (await this.lastTrade(productId))?.price ?? fromUnits(0n, priceScale);
      return { open: last, high: last, low: last, last, volume: fromUnits(0n, product.base.scale) };
    }
    let high = toUnits(newest.high, priceScale);
    let low = toUnits(newest.low, priceScale);
    let volume = 0n;
    for (const candle of candles) {
      const candleHigh = toUnits(candle.high, priceScale);
      const candleLow = toUnits(candle.low, priceScale);
      if (candleHigh > high) high = candleHigh;
      if (candleLow < low) low = candleLow;
      volume += toUnits(candle.volume, product.base.scale);
    }
    return {
      open: oldest.open,
      high: fromUnits(high, priceScale),
      low: fromUnits(low, priceScale),
      last: newest.close,
      volume: fromUnits(volume, product.base.scale),
    };
  }

  /** Base currency traded over the rolling 30 days, to the day (Coinbase's `volume_30day`): the daily buckets that start in them. */
  async volume30d(productId: string): Promise<string> {
    const product = this.product(productId);
    const today = Math.floor(this.clock() / 1000 / DAY) * DAY;
    const days = await this.candleStore.list(productId, DAY, { start: today - 29 * DAY, end: today, limit: 30 });
    return fromUnits(
      days.reduce((sum, day) => sum + toUnits(day.volume, product.base.scale), 0n),
      product.base.scale,
    );
  }

  private product(id: string): ProductSpec {
    const product = this.catalog.product(id);
    if (product === undefined) throw new DomainError('EXCHANGE.UNKNOWN_PRODUCT', 'not_found', REJECTIONS.UNKNOWN_PRODUCT.message);
    return product;
  }
}

const isCount = (value: number): boolean => Number.isSafeInteger(value) && value >= 0;
