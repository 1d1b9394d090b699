import { openSqlDatabase, type SqlDatabase } from '@sd/orm/sql-database';
import { describeOrderHistoryContract } from '../../testing/order-history-contract';
import { exchangeSqlSchema } from './exchange-sql-schema';
import { TypeormOrderHistoryStore } from './order-history.typeorm-repo';

// Embedded sql.js synchronized from the entities: one database per test, shared by the
// store instances a test opens.
let db: SqlDatabase | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
});

describeOrderHistoryContract('typeorm on embedded sql.js', async () => {
  db ??= await openSqlDatabase({ kind: 'embedded' }, exchangeSqlSchema);
  return new TypeormOrderHistoryStore(db.dataSource);
});
