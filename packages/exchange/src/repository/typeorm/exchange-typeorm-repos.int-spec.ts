import { openSqlDatabase, type SqlDatabase } from '@sd/orm/sql-database';
import { serviceUrl } from '@sd/testing/services';
import { describeMarketDataContract } from '../../testing/market-data-contract';
import { describeOrderHistoryContract } from '../../testing/order-history-contract';
import { isolatedPostgresSchema } from '@sd/orm/testing/postgres-schema';
import { exchangeSqlSchema } from './exchange-sql-schema';
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
    await db.dataSource.query('TRUNCATE "exchange_trades", "exchange_candles", "exchange_orders", "exchange_fills", "exchange_checkpoints"');
    fresh = false;
  }
  return db;
}

describeMarketDataContract('typeorm on PostgreSQL', async () => {
  const { dataSource } = await open();
  return { candles: new TypeormCandleStore(dataSource), trades: new TypeormTradeStore(dataSource) };
});

describeOrderHistoryContract('typeorm on PostgreSQL', async () => new TypeormOrderHistoryStore((await open()).dataSource));

describe('exchange migrations', () => {
  it('create the same tables and indexes the entities describe, once', async () => {
    const { dataSource } = await open();
    await (await open()).dataSource.query('SELECT 1'); // a second open runs no migration again
    expect(await dataSource.query('SELECT name FROM exchange_migrations')).toEqual([{ name: 'CreateMarketDataTables1764000000000' }]);
    // typeorm compares the live schema with the entities: an empty diff means they agree.
    const diff = await dataSource.driver.createSchemaBuilder().log();
    expect(diff.upQueries.map((query) => query.query)).toEqual([]);
  });
});
