import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { openSqliteDatabase, type SqliteDatabase, type SqliteSchema } from './sqlite-database';

const notes: SqliteSchema = { statements: ['CREATE TABLE IF NOT EXISTS "note" ("id" INTEGER PRIMARY KEY, "text" varchar(64) NOT NULL)'] };

describe('node:sqlite database', () => {
  let dir: string;
  let db: SqliteDatabase | undefined;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'kit-orm-sqlite-'))));
  afterEach(async () => {
    await db?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('commits a transaction that returns and rolls back one that throws, whole', async () => {
    db = openSqliteDatabase({ kind: 'sqlite' }, notes);
    const insert = db.statement('INSERT INTO "note" ("id", "text") VALUES (?, ?)');
    expect(db.transaction(() => insert.run(1, 'kept').changes)).toBe(1);
    expect(() =>
      db!.transaction(() => {
        insert.run(2, 'lost');
        insert.run(1, 'duplicate key');
      }),
    ).toThrow(/UNIQUE/);
    expect(db.statement('SELECT "id", "text" FROM "note"').all()).toEqual([{ id: 1, text: 'kept' }]);
    // The failed transaction is over: the next one begins.
    db.transaction(() => insert.run(3, 'after'));
    expect(db.statement('SELECT count(*) AS n FROM "note"').get()).toEqual({ n: 2 });
  });

  it('runs a batch of transactions as one commit, undone whole when its work rejects or one of its transactions threw', async () => {
    const file = join(dir, 'batch.sqlite');
    db = openSqliteDatabase({ kind: 'sqlite', file }, notes);
    const insert = db.statement('INSERT INTO "note" ("id", "text") VALUES (?, ?)');
    const reader = new DatabaseSync(file, { readOnly: true });
    const committed = (): unknown[] => reader.prepare('SELECT "id" FROM "note" ORDER BY "id"').all().map((row) => row.id);
    await db.batch(async () => {
      db!.transaction(() => insert.run(1, 'one'));
      await Promise.resolve();
      db!.transaction(() => insert.run(2, 'two'));
      // Nothing is committed before the batch ends.
      expect(committed()).toEqual([]);
    });
    expect(committed()).toEqual([1, 2]);
    await expect(
      db.batch(async () => {
        db!.transaction(() => insert.run(3, 'three'));
        throw new Error('projection failed');
      }),
    ).rejects.toThrow('projection failed');
    await expect(
      db.batch(async () => {
        db!.transaction(() => insert.run(4, 'four'));
        // A transaction that threw dooms the batch, even if its caller goes on.
        expect(() => db!.transaction(() => insert.run(1, 'duplicate key'))).toThrow(/UNIQUE/);
        db!.transaction(() => insert.run(5, 'five'));
      }),
    ).rejects.toThrow(/UNIQUE/);
    expect(committed()).toEqual([1, 2]);
    // Batches queue: the second begins once the first has committed.
    const order: string[] = [];
    await Promise.all([
      db.batch(async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        db!.transaction(() => insert.run(6, 'six'));
        order.push('first');
      }),
      db.batch(async () => void order.push('second')),
    ]);
    expect(order).toEqual(['first', 'second']);
    expect(committed()).toEqual([1, 2, 6]);
    // Outside a batch, a transaction commits on its own again.
    db.transaction(() => insert.run(7, 'seven'));
    expect(committed()).toEqual([1, 2, 6, 7]);
    reader.close();
  });

  it('prepares each statement text once', () => {
    db = openSqliteDatabase({ kind: 'sqlite' }, notes);
    expect(db.statement('SELECT 1')).toBe(db.statement('SELECT 1'));
    expect(db.statement('SELECT 2')).not.toBe(db.statement('SELECT 1'));
  });

  it('writes a file in place in WAL mode: another connection sees a commit before close, and a reopen runs the schema again harmlessly', async () => {
    const file = join(dir, 'nested', 'notes.sqlite');
    db = openSqliteDatabase({ kind: 'sqlite', file }, notes);
    db.transaction(() => db!.statement('INSERT INTO "note" ("id", "text") VALUES (?, ?)').run(1, 'hello'));
    const reader = new DatabaseSync(file, { readOnly: true });
    expect(reader.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    expect(reader.prepare('SELECT "text" FROM "note"').all()).toEqual([{ text: 'hello' }]);
    reader.close();
    await db.close();
    db = openSqliteDatabase({ kind: 'sqlite', file }, notes);
    expect(db.statement('SELECT "text" FROM "note"').all()).toEqual([{ text: 'hello' }]);
    await expect(db.ping()).resolves.toBeUndefined();
  });

  it('refuses to open when a schema statement fails, with the reason SQLite gives', () => {
    const file = join(dir, 'bad.sqlite');
    expect(() => openSqliteDatabase({ kind: 'sqlite', file }, { statements: ['CREATE TABLE broken ('] })).toThrow(/incomplete input/);
  });
});
