import type { SQLInputValue } from 'node:sqlite';
import type { IdPage } from '@sd/domain/exchange/account-ledger';
import { idPageOrder, type IdPageOrder } from '../id-page-order';

/** Equality filters by column; an undefined value leaves its column out. */
export type Filters = Record<string, SQLInputValue | undefined>;

export interface PageQuery {
  /** `[WHERE ...] ORDER BY ... LIMIT ?`, to follow a `SELECT ... FROM`. */
  sql: string;
  params: SQLInputValue[];
  /** How the rows come back: hand them to `newestFirst`. */
  order: IdPageOrder;
}

/**
 * A newest-first page by `idColumn` of the rows matching `filters`. `thenBy` orders rows with
 * the same id, given the id's direction. Each combination of filters is its own text, so the
 * database prepares it once (SqliteDatabase.statement).
 */
export function pageQuery(idColumn: string, filters: Filters, page: IdPage, thenBy?: (direction: 'ASC' | 'DESC') => string): PageQuery {
  const { where, params } = whereClause(filters);
  const order = idPageOrder(page);
  if (order.bound !== undefined) {
    where.push(`"${idColumn}" ${order.bound.op} ?`);
    params.push(order.bound.id);
  }
  params.push(page.limit);
  const then = thenBy === undefined ? '' : `, ${thenBy(order.direction)}`;
  const condition = where.length === 0 ? '' : `WHERE ${where.join(' AND ')} `;
  return { sql: `${condition}ORDER BY "${idColumn}" ${order.direction}${then} LIMIT ?`, params, order };
}

/** The conditions and parameters of `filters`, those defined, in their order. */
export function whereClause(filters: Filters): { where: string[]; params: SQLInputValue[] } {
  const where: string[] = [];
  const params: SQLInputValue[] = [];
  for (const [column, value] of Object.entries(filters)) {
    if (value === undefined) continue;
    where.push(`"${column}" = ?`);
    params.push(value);
  }
  return { where, params };
}
