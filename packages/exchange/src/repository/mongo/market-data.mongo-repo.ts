import { MongoBulkWriteError, type Collection, type Db } from 'mongodb';
import type { Candle, CandleGranularity, CandleKey, CandleRange, CandleStore, Trade, TradePage, TradeStore } from '@sd/domain/exchange/market-data';

const DUPLICATE_KEY = 11000;

type CandleDocument = Candle & { _id: string };
type TradeDocument = Trade & { _id: string };

const candleId = (key: CandleKey): string => `${key.productId}|${key.granularity}|${key.time}`;

/**
 * Candles on MongoDB or FerretDB, without transactions: each candle is one document whose
 * replacement is guarded by `lastSequence`, so a save replayed after a crash, whole or in
 * part, never moves a candle backwards.
 */
export class MongoCandleStore implements CandleStore {
  private constructor(private readonly collection: Collection<CandleDocument>) {}

  static async open(db: Db, collectionName = 'exchange_candles'): Promise<MongoCandleStore> {
    const collection = db.collection<CandleDocument>(collectionName);
    await collection.createIndex({ productId: 1, granularity: 1, time: -1 });
    return new MongoCandleStore(collection);
  }

  async find(keys: readonly CandleKey[]): Promise<Candle[]> {
    if (keys.length === 0) return [];
    const docs = await this.collection.find({ _id: { $in: keys.map(candleId) } }).toArray();
    return docs.map(toCandle);
  }

  async save(candles: readonly Candle[]): Promise<void> {
    if (candles.length === 0) return;
    try {
      await this.collection.bulkWrite(
        candles.map((candle) => ({
          // Matches only an older candle; when a newer one is there the upsert collides on
          // _id instead, which is the "already applied" answer.
          replaceOne: { filter: { _id: candleId(candle), lastSequence: { $lt: candle.lastSequence } }, replacement: { ...candle }, upsert: true },
        })),
        { ordered: false },
      );
    } catch (error) {
      if (!(error instanceof MongoBulkWriteError) || !onlyDuplicates(error)) throw error;
    }
  }

  async list(productId: string, granularity: CandleGranularity, range: CandleRange): Promise<Candle[]> {
    const time = { ...(range.start !== undefined && { $gte: range.start }), ...(range.end !== undefined && { $lte: range.end }) };
    const docs = await this.collection
      .find({ productId, granularity, ...(Object.keys(time).length > 0 && { time }) })
      .sort({ time: -1 })
      .limit(range.limit)
      .toArray();
    return docs.map(toCandle);
  }
}

/** Public trades on MongoDB or FerretDB; the document id is the trade id, so a replay inserts nothing new. */
export class MongoTradeStore implements TradeStore {
  private constructor(private readonly collection: Collection<TradeDocument>) {}

  static async open(db: Db, collectionName = 'exchange_trades'): Promise<MongoTradeStore> {
    const collection = db.collection<TradeDocument>(collectionName);
    await collection.createIndex({ productId: 1, tradeId: -1 });
    return new MongoTradeStore(collection);
  }

  async insert(trades: readonly Trade[]): Promise<void> {
    if (trades.length === 0) return;
    try {
      await this.collection.insertMany(
        trades.map((trade) => ({ _id: `${trade.productId}|${trade.tradeId}`, ...trade })),
        { ordered: false },
      );
    } catch (error) {
      if (!(error instanceof MongoBulkWriteError) || !onlyDuplicates(error)) throw error;
    }
  }

  async list(productId: string, page: TradePage): Promise<Trade[]> {
    // The page just above `newerThan` is read upward, so it is the one next to the cursor, then reversed.
    const upward = page.newerThan !== undefined;
    const cursor = upward ? { tradeId: { $gt: page.newerThan } } : page.olderThan !== undefined ? { tradeId: { $lt: page.olderThan } } : {};
    const docs = await this.collection
      .find({ productId, ...cursor })
      .sort({ tradeId: upward ? 1 : -1 })
      .limit(page.limit)
      .toArray();
    if (upward) docs.reverse();
    return docs.map(({ _id, ...trade }) => trade);
  }
}

function onlyDuplicates(error: MongoBulkWriteError): boolean {
  const errors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
  return errors.length > 0 && errors.every((e) => e.code === DUPLICATE_KEY);
}

function toCandle({ _id, ...candle }: CandleDocument): Candle {
  return candle;
}
