import { openSqlDatabase, type SqlDatabase } from '@sd/orm/sql-database';
import { serviceUrl } from '@sd/testing/services';
import type { OrderHistoryStore } from '@sd/domain/exchange/order-history';
import type { CandleGranularity } from '@sd/domain/exchange/market-data';
import { describeHoldContract } from '../../testing/hold-contract';
import { describeLedgerContract } from '../../testing/ledger-contract';
import { describeMarketDataContract, type MarketDataStores } from '../../testing/market-data-contract';
import { describeOrderHistoryContract } from '../../testing/order-history-contract';
import { limit, market, OutcomeFixture, T0 } from '../../testing/outcome-fixture';
import { addDecimal } from '../../usecase/core/money/decimal';
import { HistoryProjector } from '../../usecase/read/history/history-projector';
import { QuotationProjector } from '../../usecase/read/quotation/quotation-projector';
import { isolatedPostgresSchema } from '@sd/orm/testing/postgres-schema';
import { exchangeSqlSchema } from './exchange-sql-schema';
import { CreateMarketDataTables1764000000000 } from './migrations/1764000000000-create-market-data-tables';
import { TypeormHoldStore, TypeormLedgerStore } from './ledger.typeorm-repo';
import { TypeormCandleStore, TypeormTradeStore } from './market-data.typeorm-repo';
import { TypeormOrderHistoryStore } from './order-history.typeorm-repo';

// PostgreSQL through the hand-written migration, in a schema of this file's own. Each test
// starts from empty tables; each `open` is a separate pool, as a second app instance would have.
let schema: Awaited<ReturnType<typeof isolatedPostgresSchema>>;
const opened: SqlDatabase[] = [];
let fresh = true;

beforeAll(async () => (schema = await isolatedPostgresSchema(serviceUrl('postgres'), 'exchange_repo_it')));
afterEach(async () => {
  fresh = true;
  await Promise.all(opened.splice(0).map((db) => db.close()));
});
afterAll(async () => schema.drop());

async function open(): Promise<SqlDatabase> {
  const db = await openSqlDatabase({ kind: 'postgres', url: schema.url, poolSize: 4 }, exchangeSqlSchema);
  opened.push(db);
  if (fresh) {
    await db.dataSource.query('TRUNCATE "exchange_trades", "exchange_candles", "exchange_orders", "exchange_fills", "exchange_checkpoints", "exchange_ledger", "exchange_transfers", "exchange_holds"');
    fresh = false;
  }
  return db;
}

describeMarketDataContract('typeorm on PostgreSQL', async () => {
  const { dataSource } = await open();
  return { candles: new TypeormCandleStore(dataSource), trades: new TypeormTradeStore(dataSource) };
});

describeOrderHistoryContract('typeorm on PostgreSQL', async () => new TypeormOrderHistoryStore((await open()).dataSource));

describeLedgerContract('typeorm on PostgreSQL', async () => new TypeormLedgerStore((await open()).dataSource));

describeHoldContract('typeorm on PostgreSQL', async () => new TypeormHoldStore((await open()).dataSource));

describe('exchange migrations', () => {
  it('create the same tables and indexes the entities describe, once', async () => {
    const { dataSource } = await open();
    await (await open()).dataSource.query('SELECT 1'); // a second open runs no migration again
    expect(await dataSource.query('SELECT name FROM exchange_migrations ORDER BY id')).toEqual([
      { name: 'CreateMarketDataTables1764000000000' },
      { name: 'AmountsAsNumeric1766000000000' },
      { name: 'CreateLedgerTables1767000000000' },
    ]);
    // typeorm compares the live schema with the entities: an empty diff means they agree.
    const diff = await dataSource.driver.createSchemaBuilder().log();
    expect(diff.upQueries.map((query) => query.query)).toEqual([]);
  });
});

describe('amounts as numeric', () => {
  let own: Awaited<ReturnType<typeof isolatedPostgresSchema>>;
  beforeAll(async () => (own = await isolatedPostgresSchema(serviceUrl('postgres'), 'exchange_numeric_it')));
  afterAll(async () => own.drop());

  const stores = (db: SqlDatabase): { history: OrderHistoryStore } & MarketDataStores => ({
    history: new TypeormOrderHistoryStore(db.dataSource),
    candles: new TypeormCandleStore(db.dataSource),
    trades: new TypeormTradeStore(db.dataSource),
  });

  /** Everything the stores answer, for both users and all products and granularities. */
  async function readAll(db: SqlDatabase): Promise<unknown> {
    const { history, candles, trades } = stores(db);
    const all: Record<string, unknown> = {};
    for (const userId of ['alice', 'bob']) {
      all[`orders:${userId}`] = await history.listOrders(userId, { status: 'all', limit: 1000 });
      all[`fills:${userId}`] = await history.listFills(userId, { limit: 1000 });
    }
    for (const productId of ['BTC-USDT', 'ETH-BTC']) {
      all[`trades:${productId}`] = await trades.list(productId, { limit: 1000 });
      for (const granularity of [60, 3600, 86400] as CandleGranularity[]) all[`candles:${productId}:${granularity}`] = await candles.list(productId, granularity, { limit: 1000 });
    }
    return all;
  }

  it('converts rows written as text without loss, and SQL then sums and compares amounts', async () => {
    // The read side as it was: the first migration only, written through the stores.
    const old = await openSqlDatabase({ kind: 'postgres', url: own.url, poolSize: 2 }, { ...exchangeSqlSchema, migrations: [CreateMarketDataTables1764000000000] });
    const fx = new OutcomeFixture();
    const written = stores(old);
    const history = new HistoryProjector(fx.catalog, written.history);
    const quotation = new QuotationProjector(fx.catalog, written.candles, written.trades);
    const batches = [
      fx.fund('alice', 'bob'),
      ((fx.now = T0 + 10_000), fx.batch(limit('alice', 'sell', '20000.01', '0.1234'), limit('alice', 'sell', '20010', '0.2'), market('bob', 'buy', { funds: '5000' }))),
      ((fx.now = T0 + 70_000), fx.batch(limit('alice', 'sell', '0.05123', '1.5', { productId: 'ETH-BTC' }), limit('bob', 'buy', '0.05123', '0.75', { productId: 'ETH-BTC' }))),
      ((fx.now = T0 + 4_000_000), fx.batch(limit('bob', 'buy', '19000', '0.001'))),
    ];
    for (const batch of batches) {
      await history.project(batch);
      await quotation.project(batch);
    }
    expect(await old.dataSource.query(`SELECT data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'exchange_fills' AND column_name = 'price'`)).toEqual([{ data_type: 'character varying' }]);
    const before = await readAll(old);
    await old.close();

    const migrated = await openSqlDatabase({ kind: 'postgres', url: own.url, poolSize: 2 }, exchangeSqlSchema);
    try {
      expect(await readAll(migrated)).toEqual(before);
      const types = await migrated.dataSource.query(
        `SELECT DISTINCT data_type FROM information_schema.columns WHERE table_schema = current_schema()
         AND (table_name, column_name) IN (('exchange_fills', 'price'), ('exchange_orders', 'funds'), ('exchange_candles', 'volume'), ('exchange_trades', 'size'))`,
      );
      expect(types).toEqual([{ data_type: 'numeric' }]);
      // Exact sums at each currency's scale, and comparisons by value rather than by text.
      const sizes = (before as Record<string, Array<{ size: string }>>)['trades:BTC-USDT']!.map((trade) => trade.size);
      expect(sizes.length).toBe(2);
      const total = sizes.reduce((sum, size) => addDecimal(sum, size, 8), '0.00000000');
      expect(await migrated.dataSource.query(`SELECT sum(size)::text AS size FROM exchange_trades WHERE product_id = 'BTC-USDT'`)).toEqual([{ size: total }]);
      expect(await migrated.dataSource.query(`SELECT count(*)::int AS n FROM exchange_trades WHERE price BETWEEN 9999 AND 20005`)).toEqual([{ n: 1 }]);
      // A store still writes and reads exactly after the conversion.
      const batch = ((fx.now = T0 + 4_001_000), fx.batch(limit('alice', 'sell', '19000', '0.001')));
      await new HistoryProjector(fx.catalog, stores(migrated).history).project(batch);
      expect((await stores(migrated).history.listFills('bob', { limit: 1 }))[0]).toMatchObject({ price: '19000.000000', size: '0.00100000', fee: '0.019000' });
    } finally {
      await migrated.close();
    }
  });
});
