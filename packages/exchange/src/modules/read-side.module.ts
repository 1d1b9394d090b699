import { ContainerModule } from 'inversify';
import { Lifecycle } from '@sd/app/app-container';
import { HoldStore, LedgerStore } from '@sd/domain/exchange/account-ledger';
import { Clock } from '@sd/domain/exchange/clock';
import { CandleStore, TradeStore } from '@sd/domain/exchange/market-data';
import { OrderHistoryStore } from '@sd/domain/exchange/order-history';
import type { MarketDefinition } from '@sd/domain/exchange/product';
import type { HealthCheck } from '@sd/domain/health';
import { mongoHealthCheck, openMongoDatabase } from '@sd/mongo/mongo-database';
import { MongoCandleStore, MongoTradeStore } from '../repository/mongo/market-data.mongo-repo';
import { decodeOutcomes } from '../repository/mq/outcome-topic';
import { WorkerReadSide } from '../repository/read-side-worker/worker-read-side';
import { openHistoryDatabase, type HistorySqlConfig } from '../repository/history-database';
import { ProductCatalog } from '../usecase/core/catalog/product-catalog';
import { EngineReader } from '../usecase/core/engine/engine-reader';
import { HistoryProjector } from '../usecase/read/history/history-projector';
import { HistoryQueries } from '../usecase/read/history/history-queries';
import { HoldProjector } from '../usecase/read/ledger/hold-projector';
import { LedgerProjector } from '../usecase/read/ledger/ledger-projector';
import { LedgerQueries } from '../usecase/read/ledger/ledger-queries';
import { QuotationProjector } from '../usecase/read/quotation/quotation-projector';
import { QuotationQueries } from '../usecase/read/quotation/quotation-queries';
import { ReadSideProjector, type ReadSideChanges } from '../usecase/read/read-side-projector';
import { ExchangeSettings } from './settings';

export interface ReadSideConfig {
  /** Orders, fills, the ledger, transfers and holds, and candles and trades unless `marketData` says MongoDB. */
  sql: HistorySqlConfig;
  marketData: { kind: 'sql' } | { kind: 'mongo'; url: string };
  /**
   * `worker`: a worker thread owns the SQL database, so projection, queries and the embedded
   * database's exports stay off the request thread (SQL market data only); `inline`: this thread.
   */
  thread: 'worker' | 'inline';
}

/** The read side's stores and its projection of engine outcomes, from the outcome-topic messages that carry them. */
export interface ReadSide {
  orders: OrderHistoryStore;
  candles: CandleStore;
  trades: TradeStore;
  ledger: LedgerStore;
  holds: HoldStore;
  project(messages: readonly Buffer[]): Promise<ReadSideChanges>;
  /**
   * The market as the engine had it at the read side's checkpoint (see
   * RecoveryOptions.beforeRepublish); the projection follows the `product` events after it.
   */
  learnMarket(market: MarketDefinition): Promise<void>;
  /** Readiness of the databases it opened on this thread (a worker's answers through its queries). */
  health: readonly HealthCheck[];
}

export const ReadSide = Symbol.for('sd.exchange.ReadSide');

/**
 * The read side of every role: the history database (orders, fills, trades, candles) with its
 * projection and queries, in a worker thread or on this one, as the config says.
 */
export function readSideModule(config: ReadSideConfig): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<ReadSide>(ReadSide)
      .toResolvedValue(
        (settings: ExchangeSettings, catalog: ProductCatalog, lifecycle: Lifecycle) => openReadSide(config, settings, catalog, lifecycle),
        [ExchangeSettings, ProductCatalog, Lifecycle],
      )
      .inSingletonScope();
    bind<OrderHistoryStore>(OrderHistoryStore).toResolvedValue((readSide: ReadSide) => readSide.orders, [ReadSide]);
    bind<CandleStore>(CandleStore).toResolvedValue((readSide: ReadSide) => readSide.candles, [ReadSide]);
    bind<TradeStore>(TradeStore).toResolvedValue((readSide: ReadSide) => readSide.trades, [ReadSide]);
    bind<LedgerStore>(LedgerStore).toResolvedValue((readSide: ReadSide) => readSide.ledger, [ReadSide]);
    bind<HoldStore>(HoldStore).toResolvedValue((readSide: ReadSide) => readSide.holds, [ReadSide]);
    // Only the API asks: it knows the products from the engine state it reads.
    bind(QuotationQueries)
      .toResolvedValue(
        (reader: EngineReader, candles: CandleStore, trades: TradeStore, clock: Clock) => new QuotationQueries(reader.engine.catalog, candles, trades, () => clock.now()),
        [EngineReader, CandleStore, TradeStore, Clock],
      )
      .inSingletonScope();
    bind(HistoryQueries)
      .toResolvedValue((orders: OrderHistoryStore) => new HistoryQueries(orders), [OrderHistoryStore])
      .inSingletonScope();
    bind(LedgerQueries)
      .toResolvedValue((ledger: LedgerStore, holds: HoldStore) => new LedgerQueries(ledger, holds), [LedgerStore, HoldStore])
      .inSingletonScope();
  });
}

async function openReadSide(config: ReadSideConfig, settings: ExchangeSettings, catalog: ProductCatalog, lifecycle: Lifecycle): Promise<ReadSide> {
  if (config.thread === 'worker') {
    if (config.marketData.kind !== 'sql') throw new Error('a read side in a worker keeps candles in its SQL database');
    const worker = await WorkerReadSide.open({ sql: config.sql, currencies: settings.currencies, products: settings.products });
    lifecycle.onStop(() => worker.close());
    return {
      orders: worker.orders,
      candles: worker.candles,
      trades: worker.trades,
      ledger: worker.ledger,
      holds: worker.holds,
      project: (messages) => worker.projectMessages(messages),
      learnMarket: (market) => worker.learnMarket(market),
      health: [],
    };
  }
  const db = await openHistoryDatabase(config.sql);
  lifecycle.onStop(() => db.close());
  const { orders, ledger, holds } = db;
  let market: { candles: CandleStore; trades: TradeStore } = { candles: db.candles, trades: db.trades };
  const health = [db.health];
  if (config.marketData.kind === 'mongo') {
    const mongo = await openMongoDatabase({ url: config.marketData.url });
    lifecycle.onStop(() => mongo.close());
    market = { candles: await MongoCandleStore.open(mongo.db), trades: await MongoTradeStore.open(mongo.db) };
    health.push(mongoHealthCheck(mongo, 'market-data'));
  }
  // The read side's own copy of the market: it follows the engine's product events.
  const products = catalog.copy();
  const projector = new ReadSideProjector(products, {
    quotation: new QuotationProjector(products, market.candles, market.trades),
    ledger: new LedgerProjector(products, ledger),
    holds: new HoldProjector(products, holds),
    history: new HistoryProjector(products, orders),
  });
  return {
    orders,
    ledger,
    holds,
    ...market,
    project: (messages) => db.batch(() => projector.project(decodeOutcomes(messages))),
    learnMarket: async (seen) => seen.products.forEach((product) => products.learn(product)),
    health,
  };
}
