import type { CommandOutcome, MatchEvent } from '@sd/domain/exchange/event';
import { CANDLE_GRANULARITIES, type Candle, type CandleKey, type CandleStore, type Trade, type TradeStore } from '@sd/domain/exchange/market-data';
import type { ProductCatalog, ProductSpec } from '../../core/catalog/product-catalog';
import { formatUnits, fromUnits, toUnits } from '../../core/money/decimal';

/**
 * Turns match events into public trades and candles of every granularity. Safe to run again
 * on a batch it has seen (at-least-once delivery): trades are keyed by id, and a candle only
 * takes the trades of commands after its `lastSequence`, all in one save.
 */
export class QuotationProjector {
  constructor(
    private readonly catalog: ProductCatalog,
    private readonly candles: CandleStore,
    private readonly trades: TradeStore,
  ) {}

  /** `outcomes` in sequence order, as the sequencer published them; answers the candles it changed. */
  async project(outcomes: readonly CommandOutcome[]): Promise<Candle[]> {
    const trades: Trade[] = [];
    for (const outcome of outcomes) {
      for (const event of outcome.events) if (event.type === 'match') trades.push(this.trade(outcome, event));
    }
    if (trades.length === 0) return [];
    await this.trades.insert(trades);
    return this.mergeCandles(trades);
  }

  private trade(outcome: CommandOutcome, match: MatchEvent): Trade {
    const product = this.product(match.productId);
    return {
      productId: match.productId,
      tradeId: match.tradeId,
      price: formatUnits(match.price, product.quote.scale),
      size: formatUnits(match.size, product.base.scale),
      side: match.side,
      time: outcome.timestamp,
      sequence: outcome.sequence,
    };
  }

  private async mergeCandles(trades: readonly Trade[]): Promise<Candle[]> {
    const buckets = new Map<string, { key: CandleKey; trades: Trade[] }>();
    for (const trade of trades) {
      const seconds = Math.floor(trade.time / 1000);
      for (const granularity of CANDLE_GRANULARITIES) {
        const key = { productId: trade.productId, granularity, time: seconds - (seconds % granularity) };
        const id = `${key.productId}|${granularity}|${key.time}`;
        const bucket = buckets.get(id);
        if (bucket === undefined) buckets.set(id, { key, trades: [trade] });
        else bucket.trades.push(trade);
      }
    }
    const stored = new Map<string, Candle>();
    for (const candle of await this.candles.find([...buckets.values()].map((bucket) => bucket.key))) {
      stored.set(`${candle.productId}|${candle.granularity}|${candle.time}`, candle);
    }
    const changed: Candle[] = [];
    for (const [id, bucket] of buckets) {
      const merged = this.merge(bucket.key, stored.get(id), bucket.trades);
      if (merged !== null) changed.push(merged);
    }
    if (changed.length > 0) await this.candles.save(changed);
    return changed;
  }

  /** The candle with the trades it has not seen yet, or null when it has seen them all. */
  private merge(key: CandleKey, candle: Candle | undefined, trades: readonly Trade[]): Candle | null {
    // Every trade of one command carries its sequence, and a save takes all of them at once.
    const seen = candle?.lastSequence ?? 0;
    const fresh = trades.filter((trade) => trade.sequence > seen);
    if (fresh.length === 0) return null;
    const product = this.product(key.productId);
    const priceScale = product.quote.scale;
    const sizeScale = product.base.scale;
    const first = toUnits(fresh[0]!.price, priceScale);
    const open = candle === undefined ? first : toUnits(candle.open, priceScale);
    let low = candle === undefined ? first : toUnits(candle.low, priceScale);
    let high = candle === undefined ? first : toUnits(candle.high, priceScale);
    let close = first;
    let volume = candle === undefined ? 0n : toUnits(candle.volume, sizeScale);
    for (const trade of fresh) {
      close = toUnits(trade.price, priceScale);
      if (close < low) low = close;
      if (close > high) high = close;
      volume += toUnits(trade.size, sizeScale);
    }
    return {
      ...key,
      low: fromUnits(low, priceScale),
      high: fromUnits(high, priceScale),
      open: fromUnits(open, priceScale),
      close: fromUnits(close, priceScale),
      volume: fromUnits(volume, sizeScale),
      lastSequence: fresh[fresh.length - 1]!.sequence,
    };
  }

  private product(id: string): ProductSpec {
    const product = this.catalog.product(id);
    if (product === undefined) throw new Error(`unknown product ${id}`);
    return product;
  }
}
