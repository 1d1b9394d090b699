import { openSqlDatabase, type SqlDatabase } from '@sd/orm/sql-database';
import { describeHoldContract } from '../../testing/hold-contract';
import { describeLedgerContract } from '../../testing/ledger-contract';
import { exchangeSqlSchema } from './exchange-sql-schema';
import { TypeormHoldStore, TypeormLedgerStore } from './ledger.typeorm-repo';

// Embedded sql.js synchronized from the entities: one database per test, shared by the
// store instances a test opens.
let db: SqlDatabase | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
});

describeLedgerContract('typeorm on embedded sql.js', async () => {
  db ??= await openSqlDatabase({ kind: 'embedded' }, exchangeSqlSchema);
  return new TypeormLedgerStore(db.dataSource);
});

describeHoldContract('typeorm on embedded sql.js', async () => {
  db ??= await openSqlDatabase({ kind: 'embedded' }, exchangeSqlSchema);
  return new TypeormHoldStore(db.dataSource);
});
