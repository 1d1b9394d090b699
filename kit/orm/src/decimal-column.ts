import { Column, type ColumnOptions, type DataSource } from 'typeorm';

/** The properties declared with `DecimalColumn`, by entity class. */
const decimalProperties = new WeakMap<object, Set<string | symbol>>();

/**
 * An exact decimal column: `numeric` in PostgreSQL, so SQL users can sum and range-query
 * amounts. Without a declared precision and scale PostgreSQL keeps each value's own scale,
 * so `0.10000000` (BTC, 8 decimals) and `2000.500000` (USDT, 6) read back as written; a
 * fixed scale would pad one of them. Values go in and come out as decimal strings.
 *
 * SQLite (the embedded default) has no exact decimal type: a `numeric` column converts text
 * through a binary float. `openSqlDatabase` therefore keeps these columns as text there
 * (`keepDecimalsAsText`).
 */
export function DecimalColumn(options: Pick<ColumnOptions, 'nullable' | 'name' | 'default'> = {}): PropertyDecorator {
  const column = Column({ type: 'numeric', ...options });
  return (target, property) => {
    column(target, property);
    const properties = decimalProperties.get(target.constructor) ?? new Set();
    properties.add(property);
    decimalProperties.set(target.constructor, properties);
  };
}

/**
 * Turns this data source's `DecimalColumn`s into `varchar(64)` holding the canonical decimal
 * string. Call it on an embedded (SQLite) data source after its metadata is built and before
 * its schema is synchronized; the metadata is per data source, so a PostgreSQL one beside it
 * keeps `numeric`.
 */
export function keepDecimalsAsText(dataSource: DataSource): void {
  for (const entity of dataSource.entityMetadatas) {
    for (const column of entity.columns) {
      if (typeof column.target !== 'function' || !decimalProperties.get(column.target)?.has(column.propertyName)) continue;
      column.type = 'varchar';
      column.length = '64';
    }
  }
}
