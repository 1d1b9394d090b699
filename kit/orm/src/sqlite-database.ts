import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';

/**
 * An embedded SQLite database on Node's built-in `node:sqlite` (native, synchronous, written
 * in place): for stores on a hot path, where sql.js's WebAssembly and its whole-file export
 * cost too much. Without `file` it is in memory only.
 *
 * A file is in WAL mode with `synchronous = NORMAL`: a commit appends its pages to the log
 * without an fsync, which happens at each WAL checkpoint. A process crash loses nothing
 * committed; a machine crash may lose the last commits, whole transactions only and in commit
 * order, never tearing the file. Only for data that can be rebuilt (a read side, from its
 * journal): what must survive a power cut belongs elsewhere.
 */
export interface SqliteConfig {
  kind: 'sqlite';
  file?: string;
}

/** What a store's tables are: statements run at every open (`CREATE ... IF NOT EXISTS`). */
export interface SqliteSchema {
  statements: readonly string[];
}

export interface SqliteDatabase {
  readonly kind: 'sqlite';
  /** `sql` prepared, once per distinct text: callers build the text, the database keeps the statement. */
  statement(sql: string): StatementSync;
  /** Runs `work` in one transaction: committed when it returns, rolled back when it throws; inside a batch, part of it. */
  transaction<T>(work: () => T): T;
  /**
   * Runs `work` (the transactions of several stores, with awaits between them) as one
   * transaction, so the batch costs one commit and the log takes each page once. Committed when
   * `work` resolves and every transaction in it returned; rolled back whole when it rejects or
   * one of them threw (no savepoints: SQLite copies each page a savepoint changes into its
   * statement journal). Batches run one at a time; whatever this connection writes meanwhile
   * joins the open one.
   */
  batch<T>(work: () => Promise<T>): Promise<T>;
  /** Resolves when the database answers a query (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function openSqliteDatabase(config: SqliteConfig, schema: SqliteSchema): SqliteDatabase {
  if (config.file !== undefined) mkdirSync(dirname(config.file), { recursive: true });
  const db = new DatabaseSync(config.file ?? ':memory:');
  try {
    if (config.file !== undefined) {
      db.exec('PRAGMA journal_mode = WAL');
      db.exec('PRAGMA synchronous = NORMAL');
    }
    db.exec('PRAGMA busy_timeout = 5000');
    for (const sql of schema.statements) db.exec(sql);
  } catch (error) {
    db.close();
    throw error;
  }
  const statements = new Map<string, StatementSync>();
  const statement = (sql: string): StatementSync => {
    let prepared = statements.get(sql);
    if (prepared === undefined) statements.set(sql, (prepared = db.prepare(sql)));
    return prepared;
  };
  let batches: Promise<unknown> = Promise.resolve();
  /** The first error a transaction in the open batch threw: the batch is undone whatever its work does next. */
  let batchFailure: { error: unknown } | null = null;
  return {
    kind: 'sqlite',
    statement,
    transaction<T>(work: () => T): T {
      if (db.isTransaction) {
        try {
          return work();
        } catch (error) {
          batchFailure ??= { error };
          throw error;
        }
      }
      db.exec('BEGIN IMMEDIATE');
      try {
        const result = work();
        db.exec('COMMIT');
        return result;
      } catch (error) {
        if (db.isTransaction) db.exec('ROLLBACK');
        throw error;
      }
    },
    batch<T>(work: () => Promise<T>): Promise<T> {
      const run = async (): Promise<T> => {
        db.exec('BEGIN IMMEDIATE');
        batchFailure = null;
        try {
          const result = await work();
          // Set meanwhile by a transaction of `work` (which TypeScript's narrowing does not see).
          const failure = batchFailure as { error: unknown } | null;
          if (failure !== null) throw failure.error;
          db.exec('COMMIT');
          return result;
        } catch (error) {
          if (db.isTransaction) db.exec('ROLLBACK');
          throw error;
        } finally {
          batchFailure = null;
        }
      };
      const result = batches.then(run, run);
      batches = result.catch(() => undefined);
      return result;
    },
    ping: async () => void statement('SELECT 1').get(),
    close: async () => {
      if (db.isOpen) db.close();
    },
  };
}

/** `"a", "b", ...`: quoted column names for a statement. */
export function columns(names: readonly string[]): string {
  return names.map((name) => `"${name}"`).join(', ');
}

/** `?, ?, ...`: `count` positional parameters. */
export function marks(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}
