import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

describe('embedded auth database', () => {
  it('gains the profile columns on open, keeping the users of a file written before them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sd-auth-upgrade-'));
    try {
      const file = join(dir, 'auth.sqlite');
      // The users table as the first schema had it, with one user.
      const before = await openSqlDatabase({ kind: 'embedded', file, persist: 'every-write' }, { entities: [], migrations: [] });
      await before.dataSource.query('CREATE TABLE "auth_users" ("id" varchar(36) PRIMARY KEY NOT NULL, "email" varchar(254) NOT NULL, "password_hash" varchar(200) NOT NULL, "created_at" bigint NOT NULL)');
      await before.dataSource.query(`INSERT INTO "auth_users" VALUES ('u1', 'u1@example.com', '$scrypt$hash', 1)`);
      await before.close();
      db = await openSqlDatabase({ kind: 'embedded', file }, authSqlSchema);
      const users = new TypeormUserRepository(db.dataSource);
      expect(await users.findById('u1')).toEqual({ id: 'u1', email: 'u1@example.com', passwordHash: '$scrypt$hash', createdAt: 1, name: null, profilePhotoUrl: null });
      expect(await users.updateProfile('u1', { profilePhotoUrl: 'https://example.com/u1.png' })).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
