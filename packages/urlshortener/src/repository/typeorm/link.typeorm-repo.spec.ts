import { openSqlDatabase, type SqlDatabase } from '@sd/orm/sql-database';
import { describeLinkRepositoryContract } from '../../testing/link-repository-contract';
import { TypeormLinkRepository } from './link.typeorm-repo';
import { urlShortenerSqlSchema } from './urlshortener-sql-schema';

// Embedded sql.js, one database per test, shared by the "instances" a test opens.
let db: SqlDatabase | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
});

describeLinkRepositoryContract('typeorm on embedded sql.js', async () => {
  db ??= await openSqlDatabase({ kind: 'embedded' }, urlShortenerSqlSchema);
  return new TypeormLinkRepository(db.dataSource);
});
