import { isolatedPostgresSchema } from '@sd/orm/testing/postgres-schema';
import { openSqlDatabase, type SqlDatabase } from '@sd/orm/sql-database';
import { serviceUrl } from '@sd/testing/services';
import { describeLinkRepositoryContract } from '../../testing/link-repository-contract';
import { TypeormLinkRepository } from './link.typeorm-repo';
import { urlShortenerSqlSchema } from './urlshortener-sql-schema';

// PostgreSQL through the hand-written migration, in a schema of this file's own; each `open`
// is its own pool, as a second instance would have. Tests use fresh aliases, so they share it.
let schema: Awaited<ReturnType<typeof isolatedPostgresSchema>>;
const opened: SqlDatabase[] = [];

beforeAll(async () => (schema = await isolatedPostgresSchema(serviceUrl('postgres'), 'url_repo_it')));
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.close()));
  const cleanup = await openSqlDatabase({ kind: 'postgres', url: schema.url, poolSize: 1 }, urlShortenerSqlSchema);
  await cleanup.dataSource.query('DELETE FROM url_links');
  await cleanup.close();
});
afterAll(async () => schema.drop());

describeLinkRepositoryContract('typeorm on PostgreSQL', async () => {
  const db = await openSqlDatabase({ kind: 'postgres', url: schema.url, poolSize: 4 }, urlShortenerSqlSchema);
  opened.push(db);
  return new TypeormLinkRepository(db.dataSource);
});

describe('url shortener migration', () => {
  it('creates url_links with the alias as primary key', async () => {
    const db = await openSqlDatabase({ kind: 'postgres', url: schema.url }, urlShortenerSqlSchema);
    opened.push(db);
    expect(await db.dataSource.query('SELECT name FROM migrations')).toEqual([{ name: 'CreateUrlLinks1764000000000' }]);
    const [key] = await db.dataSource.query(
      `SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
       WHERE i.indrelid = 'url_links'::regclass AND i.indisprimary`,
    );
    expect(key).toEqual({ attname: 'alias' });
  });
});
