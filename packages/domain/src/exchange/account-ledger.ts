import type { OrderSide } from './command';

/**
 * Paging by id, newest first, Coinbase's way: `olderThan` (Coinbase's `after`) gives the page
 * below an id, `newerThan` (Coinbase's `before`) the page just above it.
 */
export interface IdPage {
  limit: number;
  olderThan?: number;
  newerThan?: number;
}

/** `internal_*`: a transfer between two users of the exchange (the engine's transfer command). */
export type TransferType = 'deposit' | 'withdraw' | 'internal_deposit' | 'internal_withdraw';

/** A deposit or withdrawal, settled when its command is applied (the exchange simulates the chain). */
export interface Transfer {
  /** The sequence of the command that moved the funds. */
  id: number;
  userId: string;
  type: TransferType;
  currency: string;
  /** Positive, at the currency's scale. */
  amount: string;
  /** Where a withdrawal went, as the client named it; null otherwise. */
  cryptoAddress: string | null;
  /** Epoch milliseconds of the command; settlement is immediate, so it is also when it completed. */
  createdAt: number;
}

export type LedgerEntryType = 'match' | 'fee' | 'transfer';

/** One change of a user's balance in one currency (Coinbase's account ledger). */
export interface LedgerEntry {
  /** Increasing in the order the changes happened; the store gives it. */
  id: number;
  userId: string;
  currency: string;
  /** Signed, at the currency's scale: what the change added (negative: took). */
  amount: string;
  /** The balance (available + hold) right after this change. */
  balance: string;
  type: LedgerEntryType;
  /** `match` and `fee`: the trade and the user's order in it. */
  orderId: number | null;
  tradeId: number | null;
  productId: string | null;
  /** `transfer`: the transfer (its id) and its type. */
  transferId: number | null;
  transferType: TransferType | null;
  createdAt: number;
  /** The sequence of the command that made the change. */
  sequence: number;
}

/** What one batch of outcomes added to the ledger, written at once with the checkpoint it reached. */
export interface LedgerChanges {
  /** In the order they happened; the store numbers them on from its last entry. */
  entries: ReadonlyArray<Omit<LedgerEntry, 'id'>>;
  transfers: readonly Transfer[];
  checkpoint: number;
}

export interface TransferQuery extends IdPage {
  type?: TransferType;
  currency?: string;
}

/**
 * Every balance change per user and currency, and the deposits and withdrawals. Append-only;
 * idempotent by checkpoint: `commit` writes only if the stored checkpoint is still the one
 * the writer read, in one transaction with the changes.
 */
export interface LedgerStore {
  /** Sequence of the last command applied; 0 before the first. */
  checkpoint(): Promise<number>;
  /** False, writing nothing, when the checkpoint is no longer `expectedCheckpoint`. */
  commit(expectedCheckpoint: number, changes: LedgerChanges): Promise<boolean>;
  /** Newest first, the user's own only. */
  listEntries(userId: string, currency: string, page: IdPage): Promise<LedgerEntry[]>;
  /** Newest first, the user's own only. */
  listTransfers(userId: string, query: TransferQuery): Promise<Transfer[]>;
}

export const LedgerStore = Symbol.for('sd.exchange.LedgerStore');

/** Funds a resting order holds (Coinbase's account holds): quote for a buy, base for a sell. */
export interface Hold {
  /** The order's id, which is also the hold's. */
  orderId: number;
  userId: string;
  productId: string;
  side: OrderSide;
  /** The held currency. */
  currency: string;
  /** At the held currency's scale. */
  amount: string;
  /** The order's limit price and the size it may still trade: a fee change recomputes a buy's hold from them. */
  price: string;
  remainingSize: string;
  createdAt: number;
  updatedAt: number;
}

/** What one batch changed of the holds, written at once with the checkpoint it reached. */
export interface HoldChanges {
  /** Whole holds, inserted or replacing the stored ones. */
  holds: readonly Hold[];
  /** Orders that no longer rest: their holds are gone. */
  released: readonly number[];
  checkpoint: number;
}

/** The holds of every resting order. Idempotent by checkpoint, as `LedgerStore`. */
export interface HoldStore {
  checkpoint(): Promise<number>;
  commit(expectedCheckpoint: number, changes: HoldChanges): Promise<boolean>;
  /** The holds of these orders that are stored (orders that rest). */
  findHolds(orderIds: readonly number[]): Promise<Hold[]>;
  /** Every hold of resting orders of a product on one side (a fee change reprices buys). */
  holdsOfProduct(productId: string, side: OrderSide): Promise<Hold[]>;
  /** Newest order first, the user's own in one currency. */
  listHolds(userId: string, currency: string, page: IdPage): Promise<Hold[]>;
}

export const HoldStore = Symbol.for('sd.exchange.HoldStore');
