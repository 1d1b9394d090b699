import { Between, LessThanOrEqual, MoreThanOrEqual, type DataSource, type FindOperator, type Repository } from 'typeorm';
import type { Candle, CandleGranularity, CandleKey, CandleRange, CandleStore, Trade, TradePage, TradeStore } from '@sd/domain/exchange/market-data';
import { chunks, exclusive } from '@sd/orm/embedded-lock';
import { insertRows } from '@sd/orm/insert-rows';
import { idPageRead, newestFirst } from './id-page';
import { CandleEntity, TradeEntity } from './market-data.entities';

const TRADE_COLUMNS = ['product_id', 'trade_id', 'price', 'size', 'side', 'time', 'sequence'];
const CANDLE_COLUMNS = ['product_id', 'granularity', 'time', 'low', 'high', 'open', 'close', 'volume', 'last_sequence'];
const CANDLE_UPSERT = `ON CONFLICT ("product_id", "granularity", "time") DO UPDATE SET
  "low" = excluded."low", "high" = excluded."high", "open" = excluded."open", "close" = excluded."close",
  "volume" = excluded."volume", "last_sequence" = excluded."last_sequence"
  WHERE "exchange_candles"."last_sequence" < excluded."last_sequence"`;

export class TypeormTradeStore implements TradeStore {
  private readonly trades: Repository<TradeEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.trades = dataSource.getRepository(TradeEntity);
  }

  async insert(trades: readonly Trade[]): Promise<void> {
    const rows = trades.map((t) => [t.productId, t.tradeId, t.price, t.size, t.side, t.time, t.sequence]);
    await exclusive(this.dataSource, () => insertRows(this.dataSource, { table: 'exchange_trades', columns: TRADE_COLUMNS, rows, onConflict: 'ON CONFLICT DO NOTHING' }));
  }

  async list(productId: string, page: TradePage): Promise<Trade[]> {
    const read = idPageRead(page);
    const rows = await exclusive(this.dataSource, () =>
      this.trades.find({ where: { productId, ...(read.id && { tradeId: read.id }) }, order: { tradeId: read.direction }, take: page.limit }),
    );
    return newestFirst(rows, read).map((row) => ({ ...row }));
  }
}

export class TypeormCandleStore implements CandleStore {
  private readonly candles: Repository<CandleEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.candles = dataSource.getRepository(CandleEntity);
  }

  async find(keys: readonly CandleKey[]): Promise<Candle[]> {
    const rows = await exclusive(this.dataSource, async () => {
      const found: CandleEntity[] = [];
      for (const chunk of chunks(keys, 200)) {
        found.push(...(await this.candles.find({ where: chunk.map(({ productId, granularity, time }) => ({ productId, granularity, time })) })));
      }
      return found;
    });
    return rows.map(toCandle);
  }

  async save(candles: readonly Candle[]): Promise<void> {
    // Raw SQL: typeorm drops an upsert's WHERE on SQLite, and that WHERE is what keeps a
    // replayed save from moving a candle backwards.
    const rows = candles.map((c) => [c.productId, c.granularity, c.time, c.low, c.high, c.open, c.close, c.volume, c.lastSequence]);
    await exclusive(this.dataSource, () => insertRows(this.dataSource, { table: 'exchange_candles', columns: CANDLE_COLUMNS, rows, onConflict: CANDLE_UPSERT }));
  }

  async list(productId: string, granularity: CandleGranularity, range: CandleRange): Promise<Candle[]> {
    const rows = await exclusive(this.dataSource, () =>
      this.candles.find({ where: { productId, granularity, ...timeRange(range) }, order: { time: 'DESC' }, take: range.limit }),
    );
    return rows.map(toCandle);
  }
}

function timeRange({ start, end }: CandleRange): { time?: FindOperator<number> } {
  if (start !== undefined && end !== undefined) return { time: Between(start, end) };
  if (start !== undefined) return { time: MoreThanOrEqual(start) };
  if (end !== undefined) return { time: LessThanOrEqual(end) };
  return {};
}

function toCandle(row: CandleEntity): Candle {
  return { ...row, granularity: row.granularity as CandleGranularity };
}
