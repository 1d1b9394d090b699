import { LessThan, MoreThan, type FindOperator } from 'typeorm';
import type { IdPage } from '@sd/domain/exchange/account-ledger';
import { idPageOrder } from '../id-page-order';

export { newestFirst, opposite } from '../id-page-order';

/** An id page as typeorm reads it (see `idPageOrder`). */
export interface IdPageRead {
  /** The id condition, when the page has a cursor. */
  id: FindOperator<number> | undefined;
  direction: 'ASC' | 'DESC';
}

export function idPageRead(page: IdPage): IdPageRead {
  const { bound, direction } = idPageOrder(page);
  if (bound === undefined) return { id: undefined, direction };
  return { id: bound.op === '<' ? LessThan(bound.id) : MoreThan(bound.id), direction };
}
