import { openSqlDatabase, type SqlDatabase } from '@sd/orm/sql-database';
import { describeMessageStoreContract } from '../../testing/message-store-contract';
import { chatMessagesSqlSchema } from './chat-sql-schema';
import { TypeormMessageStore } from './message.typeorm-store';

// Embedded sql.js, one database per test, shared by the "instances" a test opens.
let db: SqlDatabase | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
});

describeMessageStoreContract('typeorm on embedded sql.js', async () => {
  db ??= await openSqlDatabase({ kind: 'embedded' }, chatMessagesSqlSchema);
  return new TypeormMessageStore(db.dataSource);
});
