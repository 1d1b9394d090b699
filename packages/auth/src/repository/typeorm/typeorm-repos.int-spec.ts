import { openSqlDatabase, type SqlDatabase } from '@sd/orm/sql-database';
import { serviceUrl } from '@sd/testing/services';
import { describeAuthRepositoryContract } from '../../testing/auth-repository-contract';
import { isolatedPostgresSchema } from '@sd/orm/testing/postgres-schema';
import { authSqlSchema } from './auth-sql-schema';
import { CreateAuthTables1763900000000 } from './migrations/1763900000000-create-auth-tables';
import { TypeormApiKeyRepository, TypeormSessionRepository, TypeormUserRepository } from './auth.typeorm-repo';

// PostgreSQL through the hand-written migrations, in a schema of this file's own. Each
// `open` is a separate connection pool, as a second app instance would have.
let schema: Awaited<ReturnType<typeof isolatedPostgresSchema>>;
const opened: SqlDatabase[] = [];

beforeAll(async () => (schema = await isolatedPostgresSchema(serviceUrl('postgres'), 'auth_repo_it')));
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.close()));
});
afterAll(async () => schema.drop());

describeAuthRepositoryContract('typeorm on PostgreSQL', async () => {
  const db = await openSqlDatabase({ kind: 'postgres', url: schema.url, poolSize: 4 }, authSqlSchema);
  opened.push(db);
  return {
    users: new TypeormUserRepository(db.dataSource),
    sessions: new TypeormSessionRepository(db.dataSource),
    apiKeys: new TypeormApiKeyRepository(db.dataSource),
  };
});

describe('auth migrations', () => {
  it('create the tables once, in the schema the URL selects', async () => {
    const db = await openSqlDatabase({ kind: 'postgres', url: schema.url }, authSqlSchema);
    opened.push(db);
    const applied = await db.dataSource.query('SELECT name FROM migrations');
    expect(applied).toEqual([{ name: 'CreateAuthTables1763900000000' }, { name: 'UserProfile1767000000000' }]);
    const tables = await db.dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`,
    );
    expect(tables.map((t: { table_name: string }) => t.table_name)).toEqual([
      'auth_api_keys',
      'auth_refresh_tokens',
      'auth_sessions',
      'auth_users',
      'migrations',
    ]);
  });

  it('add the profile columns to a database the first migration made, keeping its users', async () => {
    const fresh = await isolatedPostgresSchema(serviceUrl('postgres'), 'auth_upgrade_it');
    try {
      const before = await openSqlDatabase({ kind: 'postgres', url: fresh.url }, { ...authSqlSchema, migrations: [CreateAuthTables1763900000000] });
      await before.dataSource.query(`INSERT INTO auth_users (id, email, password_hash, created_at) VALUES ('u1', 'u1@example.com', '$scrypt$hash', 1)`);
      await before.close();
      const after = await openSqlDatabase({ kind: 'postgres', url: fresh.url }, authSqlSchema);
      opened.push(after);
      const users = new TypeormUserRepository(after.dataSource);
      expect(await users.findById('u1')).toEqual({ id: 'u1', email: 'u1@example.com', passwordHash: '$scrypt$hash', createdAt: 1, name: null, profilePhotoUrl: null });
      expect(await users.updateProfile('u1', { name: 'U. One' })).toBe(true);
    } finally {
      await Promise.all(opened.splice(0).map((db) => db.close()));
      await fresh.drop();
    }
  });
});
