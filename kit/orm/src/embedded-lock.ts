import type { DataSource } from 'typeorm';

const tails = new WeakMap<DataSource, Promise<unknown>>();

/**
 * Runs `work` alone on an embedded (sql.js) database: it has one connection, so a statement
 * issued while another caller's transaction is open would join it. PostgreSQL runs `work`
 * at once, on its pool.
 */
export function exclusive<T>(dataSource: DataSource, work: () => Promise<T>): Promise<T> {
  if (dataSource.options.type !== 'sqljs') return work();
  const previous = tails.get(dataSource) ?? Promise.resolve();
  const result = previous.then(work, work);
  tails.set(
    dataSource,
    result.catch(() => undefined),
  );
  return result;
}

/** Splits rows so one statement stays under both drivers' bound-parameter limits. */
export function chunks<T>(rows: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}
