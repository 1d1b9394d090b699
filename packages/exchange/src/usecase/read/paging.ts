import { invalidInput } from '@sd/domain/errors';
import type { IdPage } from '@sd/domain/exchange/account-ledger';

/** A page as Coinbase clients ask for it: `after` an id for older items, `before` one for newer. */
export interface CursorQuery {
  /** 1..1000, default 100. */
  limit?: number;
  /** An id from a previous page (its `CB-AFTER`): the items older than it. */
  after?: number;
  /** An id from a previous page (its `CB-BEFORE`): the items newer than it. */
  before?: number;
}

export function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw invalidInput('limit must be an integer from 1 to 1000');
  return limit;
}

/** The store's page for a cursor query; `what` names the id in messages (`after must be a trade id`). */
export function idPage(query: CursorQuery, what: string): IdPage {
  const { after, before } = query;
  if (after !== undefined && before !== undefined) throw invalidInput('before and after cannot be combined');
  for (const [name, cursor] of [['after', after], ['before', before]] as const) {
    if (cursor !== undefined && !(Number.isSafeInteger(cursor) && cursor > 0)) throw invalidInput(`${name} must be ${what}`);
  }
  return { limit: pageLimit(query.limit), olderThan: after, newerThan: before };
}
