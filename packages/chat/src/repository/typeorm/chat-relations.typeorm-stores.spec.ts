import { openSqlDatabase, type SqlDatabase } from '@sd/orm/sql-database';
import { describeChatRelationContracts } from '../../testing/chat-relations-contract';
import { chatRelationsSqlSchema } from './chat-sql-schema';
import { TypeormChannelStore, TypeormChatUserStore, TypeormFriendStore, TypeormReadMarkerStore } from './chat-relations.typeorm-stores';

// Embedded sql.js, one database per test, shared by the "instances" a test opens.
let db: SqlDatabase | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
});

describeChatRelationContracts('typeorm on embedded sql.js', async () => {
  db ??= await openSqlDatabase({ kind: 'embedded' }, chatRelationsSqlSchema);
  const { dataSource } = db;
  return { users: new TypeormChatUserStore(dataSource), friends: new TypeormFriendStore(dataSource), channels: new TypeormChannelStore(dataSource), markers: new TypeormReadMarkerStore(dataSource) };
});
