import { LessThan, MoreThan, type FindOperator } from 'typeorm';
import type { IdPage } from '@sd/domain/exchange/account-ledger';

/**
 * How a store reads an id page, newest first: below `olderThan` downward; the page just above
 * `newerThan` is read upward (so it is the one adjacent to the cursor) and handed back reversed.
 */
export interface IdPageRead {
  /** The id condition, when the page has a cursor. */
  id: FindOperator<number> | undefined;
  /** `DESC` for newest first; `ASC` when the rows must be reversed after reading. */
  direction: 'ASC' | 'DESC';
}

export function idPageRead(page: IdPage): IdPageRead {
  if (page.newerThan !== undefined) return { id: MoreThan(page.newerThan), direction: 'ASC' };
  return { id: page.olderThan === undefined ? undefined : LessThan(page.olderThan), direction: 'DESC' };
}

/** Rows read by `idPageRead`, newest first. */
export function newestFirst<T>(rows: T[], read: IdPageRead): T[] {
  return read.direction === 'ASC' ? rows.reverse() : rows;
}

/** The opposite order, for a secondary sort key that must follow the id's direction reversed. */
export const opposite = (direction: 'ASC' | 'DESC'): 'ASC' | 'DESC' => (direction === 'ASC' ? 'DESC' : 'ASC');
