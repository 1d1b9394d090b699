import { DataSource, type EntityManager } from 'typeorm';
import { chunks } from './embedded-lock';

export interface RowsInsert {
  table: string;
  /** Column names in the database, in the order of every row's values. */
  columns: readonly string[];
  rows: readonly (readonly unknown[])[];
  /** What follows the VALUES list: an `ON CONFLICT ...` clause, or nothing. */
  onConflict?: string;
}

/** Bound parameters per statement: under SQLite's 32,766 and PostgreSQL's 65,535. */
const MAX_PARAMETERS = 30_000;

/**
 * Multi-row INSERTs in raw SQL, as few statements as the parameter limits allow. typeorm's
 * insert builder rescans the whole query for every parameter, which makes a batch of
 * projections cost milliseconds; this is the same statement for a fraction of that.
 * Values go as bound parameters: booleans as 1/0, which both SQLite and PostgreSQL accept.
 */
export async function insertRows(target: DataSource | EntityManager, insert: RowsInsert): Promise<void> {
  if (insert.rows.length === 0) return;
  const postgres = (target instanceof DataSource ? target : target.dataSource).options.type === 'postgres';
  const quoted = insert.columns.map((column) => `"${column}"`).join(', ');
  for (const chunk of chunks(insert.rows, Math.floor(MAX_PARAMETERS / insert.columns.length))) {
    const params: unknown[] = [];
    const tuples = chunk.map((row) => {
      const marks = row.map((value) => {
        params.push(typeof value === 'boolean' ? Number(value) : value);
        return postgres ? `$${params.length}` : '?';
      });
      return `(${marks.join(', ')})`;
    });
    await target.query(`INSERT INTO "${insert.table}" (${quoted}) VALUES ${tuples.join(', ')} ${insert.onConflict ?? ''}`, params);
  }
}
