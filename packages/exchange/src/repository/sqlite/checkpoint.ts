import type { SqliteDatabase } from '@sd/orm/sqlite-database';

const READ = 'SELECT "sequence" FROM "exchange_checkpoints" WHERE "name" = ?';
const WRITE = 'INSERT INTO "exchange_checkpoints" ("name", "sequence") VALUES (?, ?) ON CONFLICT ("name") DO UPDATE SET "sequence" = excluded."sequence"';

/** One projector's row in `exchange_checkpoints` on node:sqlite: how far it got in the outcome log. */
export class SqliteCheckpoint {
  constructor(
    private readonly sqlite: SqliteDatabase,
    private readonly name: string,
  ) {}

  /** 0 before the first commit. */
  read(): number {
    const row = this.sqlite.statement(READ).get(this.name);
    return row === undefined ? 0 : Number(row.sequence);
  }

  /**
   * Runs `write` in one transaction with the checkpoint moved to `next`, if the stored one is
   * still `expected`: the rows and the checkpoint that covers them commit together or not at
   * all, so the checkpoint is never ahead of its rows. Synchronous, so commits never interleave.
   */
  commit(expected: number, next: number, write: () => void): boolean {
    return this.sqlite.transaction(() => {
      if (this.read() !== expected) return false;
      write();
      this.sqlite.statement(WRITE).run(this.name, next);
      return true;
    });
  }
}
