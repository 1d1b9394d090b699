import type { DataSource } from 'typeorm';

const tails = new WeakMap<DataSource, Promise<unknown>>();

/**
 * Runs `work` alone on an embedded (sql.js) database. sql.js has one connection: two
 * transactions cannot be open at once, and a statement issued while another caller's
 * transaction is open would join it. PostgreSQL runs `work` at once, on its pool.
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
