import type { SqlDatabase } from '@sd/orm/sql-database';
import { openSqlDatabase } from '@sd/orm/sql-database';
import { describeAuthRepositoryContract } from '../../testing/auth-repository-contract';
import { authSqlSchema } from './auth-sql-schema';
import { TypeormApiKeyRepository, TypeormSessionRepository, TypeormUserRepository } from './auth.typeorm-repo';

// Embedded sql.js synchronized from the entities: one database per test, shared by the
// "instances" a test opens.
let db: SqlDatabase | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
});

describeAuthRepositoryContract('typeorm on embedded sql.js', async () => {
  db ??= await openSqlDatabase({ kind: 'embedded' }, authSqlSchema);
  const { dataSource } = db;
  return {
    users: new TypeormUserRepository(dataSource),
    sessions: new TypeormSessionRepository(dataSource),
    apiKeys: new TypeormApiKeyRepository(dataSource),
  };
});
