import { isolatedPostgresSchema } from '@sd/orm/testing/postgres-schema';
import { openSqlDatabase, type SqlDatabase } from '@sd/orm/sql-database';
import { serviceUrl } from '@sd/testing/services';
import { describeMessageStoreContract } from '../../testing/message-store-contract';
import { chatMessagesSqlSchema } from './chat-sql-schema';
import { TypeormMessageStore } from './message.typeorm-store';

// PostgreSQL through the hand-written migration, in a schema of this file's own; each `open` is its own pool.
let schema: Awaited<ReturnType<typeof isolatedPostgresSchema>>;
const opened: SqlDatabase[] = [];

beforeAll(async () => (schema = await isolatedPostgresSchema(serviceUrl('postgres'), 'chat_store_it')));
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.close()));
});
afterAll(async () => schema.drop());

describeMessageStoreContract('typeorm on PostgreSQL', async () => {
  const db = await openSqlDatabase({ kind: 'postgres', url: schema.url, poolSize: 4 }, chatMessagesSqlSchema);
  opened.push(db);
  return new TypeormMessageStore(db.dataSource);
});
