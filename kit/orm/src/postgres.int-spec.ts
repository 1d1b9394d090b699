import { DataSource } from 'typeorm';
import { serviceUrl } from '@sd/testing/services';
import { migrationLockKey, openSqlDatabase, sqlHealthCheck, type SqlDatabase } from './sql-database';
import { isolatedPostgresSchema } from './testing/postgres-schema';
import { NoteEntity, noteSchema } from './testing/note.entity';

describe('PostgreSQL database', () => {
  let schema: { url: string; drop(): Promise<void> };
  const opened: SqlDatabase[] = [];
  // Each test migrates a schema of its own from scratch.
  beforeEach(async () => (schema = await isolatedPostgresSchema(serviceUrl('postgres'), 'kit_orm_it')));
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((db) => db.close()));
    await schema.drop();
  });
  const open = async (): Promise<SqlDatabase> => {
    const db = await openSqlDatabase({ kind: 'postgres', url: schema.url, poolSize: 2 }, noteSchema);
    opened.push(db);
    return db;
  };

  it('runs migrations once and stores decimals exactly, as numeric', async () => {
    const first = await open();
    await first.dataSource.getRepository(NoteEntity).save([
      { id: 'n1', text: 'hello', amount: '12345678901234567.000000000000000001' },
      { id: 'n2', text: 'scale kept', amount: '0.10000000' },
    ]);

    const second = await open();
    expect(await second.dataSource.query('SELECT name FROM kit_orm_migrations')).toEqual([{ name: 'CreateNote1700000000000' }]);
    const notes = second.dataSource.getRepository(NoteEntity);
    expect((await notes.findOneByOrFail({ id: 'n1' })).amount).toBe('12345678901234567.000000000000000001');
    expect((await notes.findOneByOrFail({ id: 'n2' })).amount).toBe('0.10000000');
    // numeric, not text: SQL sums exactly and compares by value ('9' > '10' as text).
    expect(await second.dataSource.query('SELECT sum(amount)::text AS total FROM kit_orm_note')).toEqual([{ total: '12345678901234567.100000000000000001' }]);
    expect(await second.dataSource.query("SELECT id FROM kit_orm_note WHERE amount > '9'")).toEqual([{ id: 'n1' }]);
    const health = sqlHealthCheck(second, 'notes');
    expect(health.name).toBe('postgresql:notes');
    await expect(health.check()).resolves.toBeUndefined();
    const [{ version }] = await second.dataSource.query('SELECT version()');
    console.log(`[kit/orm] talked to ${String(version).split(',')[0]}`);
  });

  it('lets one of several processes opening a fresh database migrate while the others wait', async () => {
    const databases = await Promise.all([open(), open(), open(), open()]);
    for (const db of databases) {
      expect(await db.dataSource.query('SELECT name FROM kit_orm_migrations')).toEqual([{ name: 'CreateNote1700000000000' }]);
    }
    await databases[0]!.dataSource.getRepository(NoteEntity).save({ id: 'n1', text: 'migrated once', amount: '1' });
    expect(await databases[3]!.dataSource.getRepository(NoteEntity).count()).toBe(1);
  });

  it('waits for the migration lock another session holds, then migrates', async () => {
    const holder = new DataSource({ type: 'postgres', url: schema.url, extra: { max: 1 } });
    await holder.initialize();
    try {
      const [{ current }] = await holder.query('SELECT current_schema() AS current');
      const key = migrationLockKey(current, noteSchema.migrationsTableName);
      await holder.query('SELECT pg_advisory_lock($1)', [key]);
      let done = false;
      const opening = open().finally(() => (done = true));
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(done).toBe(false);
      expect(await holder.query("SELECT to_regclass('kit_orm_migrations') AS migrations")).toEqual([{ migrations: null }]);

      await holder.query('SELECT pg_advisory_unlock($1)', [key]);
      const db = await opening;
      expect(await db.dataSource.query('SELECT name FROM kit_orm_migrations')).toEqual([{ name: 'CreateNote1700000000000' }]);
    } finally {
      await holder.destroy();
    }
  });
});
