import { ContainerModule } from 'inversify';
import type { Db } from 'mongodb';
import type { DataSource } from 'typeorm';
import { CandleStore, TradeStore } from '@sd/domain/exchange/market-data';
import { OrderHistoryStore } from '@sd/domain/exchange/order-history';
import type { WorkerReadSide } from './repository/read-side-worker/worker-read-side';
import { MongoCandleStore, MongoTradeStore } from './repository/mongo/market-data.mongo-repo';
import { TypeormCandleStore, TypeormTradeStore } from './repository/typeorm/market-data.typeorm-repo';
import { TypeormOrderHistoryStore } from './repository/typeorm/order-history.typeorm-repo';
import type { ProductCatalog } from './usecase/core/catalog/product-catalog';
import { HistoryProjector } from './usecase/read/history/history-projector';
import { HistoryQueries } from './usecase/read/history/history-queries';
import { QuotationProjector } from './usecase/read/quotation/quotation-projector';
import { QuotationQueries } from './usecase/read/quotation/quotation-queries';
import { ReadSideProjector } from './usecase/read/read-side-projector';

/**
 * The read-side use cases: quotation (trades, candles, stats) and order history. Needs
 * `CandleStore`, `TradeStore` and `OrderHistoryStore` bound, by the modules below.
 */
export function marketDataModule(catalog: ProductCatalog, options: { clock?: () => number } = {}): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(QuotationProjector)
      .toResolvedValue((candles: CandleStore, trades: TradeStore) => new QuotationProjector(catalog, candles, trades), [CandleStore, TradeStore])
      .inSingletonScope();
    bind(QuotationQueries)
      .toResolvedValue((candles: CandleStore, trades: TradeStore) => new QuotationQueries(catalog, candles, trades, options.clock), [CandleStore, TradeStore])
      .inSingletonScope();
    bind(HistoryProjector)
      .toResolvedValue((store: OrderHistoryStore) => new HistoryProjector(catalog, store), [OrderHistoryStore])
      .inSingletonScope();
    bind(ReadSideProjector)
      .toResolvedValue((quotation: QuotationProjector, history: HistoryProjector) => new ReadSideProjector(catalog, quotation, history), [QuotationProjector, HistoryProjector])
      .inSingletonScope();
    bind(HistoryQueries)
      .toResolvedValue((store: OrderHistoryStore) => new HistoryQueries(store), [OrderHistoryStore])
      .inSingletonScope();
  });
}

/** Every read-side store on one open SQL database (see `exchangeSqlSchema`). */
export function exchangeSqlRepositoryModule(dataSource: DataSource): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<CandleStore>(CandleStore).toConstantValue(new TypeormCandleStore(dataSource));
    bind<TradeStore>(TradeStore).toConstantValue(new TypeormTradeStore(dataSource));
    bind<OrderHistoryStore>(OrderHistoryStore).toConstantValue(new TypeormOrderHistoryStore(dataSource));
  });
}

/** Every read-side store forwarded to the worker thread that owns the history database. */
export function workerReadSideModule(readSide: WorkerReadSide): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<CandleStore>(CandleStore).toConstantValue(readSide.candles);
    bind<TradeStore>(TradeStore).toConstantValue(readSide.trades);
    bind<OrderHistoryStore>(OrderHistoryStore).toConstantValue(readSide.orders);
  });
}

/**
 * Candles and trades on MongoDB (or FerretDB), opened beforehand with `MongoCandleStore.open`
 * and `MongoTradeStore.open`; load it instead of binding those two from SQL.
 */
export function mongoMarketDataModule(stores: { candles: MongoCandleStore; trades: MongoTradeStore }): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<CandleStore>(CandleStore).toConstantValue(stores.candles);
    bind<TradeStore>(TradeStore).toConstantValue(stores.trades);
  });
}

/** Opens the Mongo candle and trade stores (creating their indexes) for `mongoMarketDataModule`. */
export async function openMongoMarketData(db: Db): Promise<{ candles: MongoCandleStore; trades: MongoTradeStore }> {
  return { candles: await MongoCandleStore.open(db), trades: await MongoTradeStore.open(db) };
}
