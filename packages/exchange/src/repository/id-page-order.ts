import type { IdPage } from '@sd/domain/exchange/account-ledger';

/**
 * How a store reads an id page, newest first, whatever its driver: below `olderThan`
 * downward; the page just above `newerThan` is read upward (so it is the one adjacent to the
 * cursor) and handed back reversed.
 */
export interface IdPageOrder {
  /** The id condition, when the page has a cursor. */
  bound: { op: '<' | '>'; id: number } | undefined;
  /** `DESC` for newest first; `ASC` when the rows must be reversed after reading. */
  direction: 'ASC' | 'DESC';
}

export function idPageOrder(page: IdPage): IdPageOrder {
  if (page.newerThan !== undefined) return { bound: { op: '>', id: page.newerThan }, direction: 'ASC' };
  return { bound: page.olderThan === undefined ? undefined : { op: '<', id: page.olderThan }, direction: 'DESC' };
}

/** Rows read in `order`, newest first. */
export function newestFirst<T>(rows: T[], order: Pick<IdPageOrder, 'direction'>): T[] {
  return order.direction === 'ASC' ? rows.reverse() : rows;
}

/** The opposite order, for a secondary sort key that must follow the id's direction reversed. */
export const opposite = (direction: 'ASC' | 'DESC'): 'ASC' | 'DESC' => (direction === 'ASC' ? 'DESC' : 'ASC');
