import type { Hold, HoldStore, LedgerEntry, LedgerStore, Transfer, TransferType } from '@sd/domain/exchange/account-ledger';
import { idPage, type CursorQuery } from '../paging';

/** Paged by transfer id. */
export interface TransfersQuery extends CursorQuery {
  type?: TransferType;
  currency?: string;
}

/** A user's own ledger, transfers and holds, newest first; every query is scoped to the caller. */
export class LedgerQueries {
  constructor(
    private readonly ledger: LedgerStore,
    private readonly holdStore: HoldStore,
  ) {}

  /** Paged by ledger entry id. */
  entries(userId: string, currency: string, query: CursorQuery = {}): Promise<LedgerEntry[]> {
    return this.ledger.listEntries(userId, currency, idPage(query, 'a ledger entry id'));
  }

  transfers(userId: string, query: TransfersQuery = {}): Promise<Transfer[]> {
    return this.ledger.listTransfers(userId, { ...idPage(query, 'a transfer id'), type: query.type, currency: query.currency });
  }

  /** Paged by order id. */
  holds(userId: string, currency: string, query: CursorQuery = {}): Promise<Hold[]> {
    return this.holdStore.listHolds(userId, currency, idPage(query, 'an order id'));
  }
}
