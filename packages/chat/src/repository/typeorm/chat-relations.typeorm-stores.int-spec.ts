import { isolatedPostgresSchema } from '@sd/orm/testing/postgres-schema';
import { openSqlDatabase, type SqlDatabase } from '@sd/orm/sql-database';
import { serviceUrl } from '@sd/testing/services';
import { describeChatRelationContracts } from '../../testing/chat-relations-contract';
import { chatRelationsSqlSchema } from './chat-sql-schema';
import { TypeormChannelStore, TypeormChatUserStore, TypeormFriendStore, TypeormReadMarkerStore } from './chat-relations.typeorm-stores';

// PostgreSQL through the hand-written migration, in a schema of this file's own; each `open` is its own pool.
let schema: Awaited<ReturnType<typeof isolatedPostgresSchema>>;
const opened: SqlDatabase[] = [];

beforeAll(async () => (schema = await isolatedPostgresSchema(serviceUrl('postgres'), 'chat_relations_it')));
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.close()));
});
afterAll(async () => schema.drop());

describeChatRelationContracts('typeorm on PostgreSQL', async () => {
  const db = await openSqlDatabase({ kind: 'postgres', url: schema.url, poolSize: 4 }, chatRelationsSqlSchema);
  opened.push(db);
  const { dataSource } = db;
  return { users: new TypeormChatUserStore(dataSource), friends: new TypeormFriendStore(dataSource), channels: new TypeormChannelStore(dataSource), markers: new TypeormReadMarkerStore(dataSource) };
});
