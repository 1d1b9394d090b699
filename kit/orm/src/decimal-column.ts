import { Column, type ColumnOptions } from 'typeorm';

/**
 * An exact decimal column: canonical decimal strings in every database. SQLite (the embedded
 * default) has no exact decimal type and would round `numeric` through a binary float.
 */
export function DecimalColumn(options: Pick<ColumnOptions, 'nullable' | 'name' | 'default'> = {}): PropertyDecorator {
  return Column({ type: 'varchar', length: 64, ...options });
}
