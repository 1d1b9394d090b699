import { Between, LessThan, LessThanOrEqual, MoreThanOrEqual, type DataSource, type FindOperator, type Repository } from 'typeorm';
import type { Candle, CandleGranularity, CandleKey, CandleRange, CandleStore, Trade, TradePage, TradeStore } from '@sd/domain/exchange/market-data';
import { chunks, exclusive } from '@sd/orm/embedded-lock';
import { CandleEntity, TradeEntity } from './market-data.entities';

export class TypeormTradeStore implements TradeStore {
  private readonly trades: Repository<TradeEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.trades = dataSource.getRepository(TradeEntity);
  }

  async insert(trades: readonly Trade[]): Promise<void> {
    await exclusive(this.dataSource, async () => {
      for (const chunk of chunks(trades, 500)) {
        await this.trades.createQueryBuilder().insert().values(chunk).orIgnore().execute();
      }
    });
  }

  async list(productId: string, page: TradePage): Promise<Trade[]> {
    const rows = await exclusive(this.dataSource, () =>
      this.trades.find({
        where: { productId, ...(page.before !== undefined && { tradeId: LessThan(page.before) }) },
        order: { tradeId: 'DESC' },
        take: page.limit,
      }),
    );
    return rows.map((row) => ({ ...row }));
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
    const placeholder = this.dataSource.options.type === 'postgres' ? (i: number) => `$${i}` : () => '?';
    await exclusive(this.dataSource, async () => {
      for (const chunk of chunks(candles, 500)) {
        const params: unknown[] = [];
        const rows = chunk.map((c) => {
          const values = [c.productId, c.granularity, c.time, c.low, c.high, c.open, c.close, c.volume, c.lastSequence];
          const marks = values.map((value) => placeholder(params.push(value)));
          return `(${marks.join(', ')})`;
        });
        await this.dataSource.query(
          `INSERT INTO "exchange_candles" ("product_id", "granularity", "time", "low", "high", "open", "close", "volume", "last_sequence")
           VALUES ${rows.join(', ')}
           ON CONFLICT ("product_id", "granularity", "time") DO UPDATE SET
             "low" = excluded."low", "high" = excluded."high", "open" = excluded."open", "close" = excluded."close",
             "volume" = excluded."volume", "last_sequence" = excluded."last_sequence"
           WHERE "exchange_candles"."last_sequence" < excluded."last_sequence"`,
          params,
        );
      }
    });
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
