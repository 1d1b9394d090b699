import type { DataSource } from 'typeorm';

/** Bound-parameter placeholders as the driver writes them: `$1, $2` (PostgreSQL) or `?` (SQLite). */
export function placeholders(dataSource: DataSource): (index: number) => string {
  return dataSource.options.type === 'postgres' ? (index) => `$${index}` : () => '?';
}
