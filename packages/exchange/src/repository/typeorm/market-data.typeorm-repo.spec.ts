import { openSqlDatabase, type SqlDatabase } from '@sd/orm/sql-database';
import { describeMarketDataContract } from '../../testing/market-data-contract';
import { exchangeSqlSchema } from './exchange-sql-schema';
import { TypeormCandleStore, TypeormTradeStore } from './market-data.typeorm-repo';

// Embedded sql.js synchronized from the entities, a fresh in-memory database per test.
let db: SqlDatabase | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
});

describeMarketDataContract('typeorm on embedded sql.js', async () => {
  db = await openSqlDatabase({ kind: 'embedded' }, exchangeSqlSchema);
  return { candles: new TypeormCandleStore(db.dataSource), trades: new TypeormTradeStore(db.dataSource) };
});
