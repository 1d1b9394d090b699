import type { Candle, CandleGranularity, CandleKey, CandleRange, CandleStore, Trade, TradePage, TradeStore } from '@sd/domain/exchange/market-data';
import { columns, marks, type SqliteDatabase } from '@sd/orm/sqlite-database';
import { newestFirst } from '../id-page-order';
import { pageQuery } from './page-query';

const TRADE_NAMES = ['product_id', 'trade_id', 'price', 'size', 'side', 'time', 'sequence'];
const CANDLE_NAMES = ['product_id', 'granularity', 'time', 'low', 'high', 'open', 'close', 'volume', 'last_sequence'];
const TRADE_COLUMNS = columns(TRADE_NAMES);
const CANDLE_COLUMNS = columns(CANDLE_NAMES);
const INSERT_TRADE = `INSERT INTO "exchange_trades" (${TRADE_COLUMNS}) VALUES (${marks(TRADE_NAMES.length)}) ON CONFLICT DO NOTHING`;
// The WHERE keeps a replayed save from moving a candle backwards.
const UPSERT_CANDLE = `INSERT INTO "exchange_candles" (${CANDLE_COLUMNS}) VALUES (${marks(CANDLE_NAMES.length)})
  ON CONFLICT ("product_id", "granularity", "time") DO UPDATE SET
  "low" = excluded."low", "high" = excluded."high", "open" = excluded."open", "close" = excluded."close",
  "volume" = excluded."volume", "last_sequence" = excluded."last_sequence"
  WHERE "exchange_candles"."last_sequence" < excluded."last_sequence"`;
const SELECT_CANDLES = `SELECT ${CANDLE_COLUMNS} FROM "exchange_candles" WHERE "product_id" = ? AND "granularity" = ?`;

/** Public trades on node:sqlite; a batch is inserted in one transaction. */
export class SqliteTradeStore implements TradeStore {
  constructor(private readonly sqlite: SqliteDatabase) {}

  async insert(trades: readonly Trade[]): Promise<void> {
    if (trades.length === 0) return;
    const insert = this.sqlite.statement(INSERT_TRADE);
    this.sqlite.transaction(() => {
      for (const t of trades) insert.run(t.productId, t.tradeId, t.price, t.size, t.side, t.time, t.sequence);
    });
  }

  async list(productId: string, page: TradePage): Promise<Trade[]> {
    const query = pageQuery('trade_id', { product_id: productId }, page);
    return newestFirst(this.sqlite.statement(`SELECT ${TRADE_COLUMNS} FROM "exchange_trades" ${query.sql}`).all(...query.params), query.order).map((row) => ({
      productId: row.product_id as string,
      tradeId: row.trade_id as number,
      price: row.price as string,
      size: row.size as string,
      side: row.side as Trade['side'],
      time: row.time as number,
      sequence: row.sequence as number,
    }));
  }
}

/** Candles on node:sqlite; a save is one transaction of upserts that never move a candle back. */
export class SqliteCandleStore implements CandleStore {
  constructor(private readonly sqlite: SqliteDatabase) {}

  async find(keys: readonly CandleKey[]): Promise<Candle[]> {
    const byKey = this.sqlite.statement(`${SELECT_CANDLES} AND "time" = ?`);
    const found: Candle[] = [];
    for (const { productId, granularity, time } of keys) {
      const row = byKey.get(productId, granularity, time);
      if (row !== undefined) found.push(toCandle(row));
    }
    return found;
  }

  async save(candles: readonly Candle[]): Promise<void> {
    if (candles.length === 0) return;
    const upsert = this.sqlite.statement(UPSERT_CANDLE);
    this.sqlite.transaction(() => {
      for (const c of candles) upsert.run(c.productId, c.granularity, c.time, c.low, c.high, c.open, c.close, c.volume, c.lastSequence);
    });
  }

  async list(productId: string, granularity: CandleGranularity, { start, end, limit }: CandleRange): Promise<Candle[]> {
    const bounds = [...(start === undefined ? [] : ['"time" >= ?']), ...(end === undefined ? [] : ['"time" <= ?'])];
    const params = [productId, granularity, ...[start, end].filter((bound) => bound !== undefined), limit];
    return this.sqlite
      .statement(`${SELECT_CANDLES}${bounds.map((bound) => ` AND ${bound}`).join('')} ORDER BY "time" DESC LIMIT ?`)
      .all(...params)
      .map(toCandle);
  }
}

function toCandle(row: Record<string, unknown>): Candle {
  return {
    productId: row.product_id as string,
    granularity: row.granularity as CandleGranularity,
    time: row.time as number,
    low: row.low as string,
    high: row.high as string,
    open: row.open as string,
    close: row.close as string,
    volume: row.volume as string,
    lastSequence: row.last_sequence as number,
  };
}
