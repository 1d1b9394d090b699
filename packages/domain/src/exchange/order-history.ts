import type { IdPage } from './account-ledger';
import type { OrderSide, OrderType, SelfTradePrevention, TimeInForce } from './command';
import type { CancelReason } from './event';

/**
 * An order as its owner sees it: the answer to a place command, an open order, a done one.
 * Amounts are decimal strings at the product's scales; times are epoch milliseconds; the id
 * is the sequence of the place command.
 */
export interface OrderView {
  id: number;
  userId: string;
  clientOid: string | null;
  productId: string;
  side: OrderSide;
  type: OrderType;
  /** Limit orders only. */
  price: string | null;
  /** Null for a market buy by funds. */
  size: string | null;
  /** Market buys by funds only. */
  funds: string | null;
  timeInForce: TimeInForce;
  postOnly: boolean;
  stp: SelfTradePrevention;
  status: 'open' | 'done';
  filledSize: string;
  /** Quote currency traded, fees excluded. */
  executedValue: string;
  fillFees: string;
  doneReason: 'filled' | 'canceled' | null;
  cancelReason: CancelReason | null;
  createdAt: number;
  doneAt: number | null;
}

/** An order as the history stores it: its view, and where the history last changed it. */
export interface OrderRecord extends OrderView {
  /** Sequence of the last command that changed the order. */
  lastSequence: number;
}

/** One side of a trade, as the user on that side sees it. */
export interface FillRecord {
  tradeId: number;
  userId: string;
  orderId: number;
  productId: string;
  price: string;
  size: string;
  /** M: the order was resting (maker); T: it took liquidity (taker). */
  liquidity: 'M' | 'T';
  /** Quote currency. */
  fee: string;
  /** The side of this user's order. */
  side: OrderSide;
  createdAt: number;
  sequence: number;
}

/** Paged by order id. */
export interface OrderQuery extends IdPage {
  status: 'open' | 'done' | 'all';
  productId?: string;
}

/** Paged by trade id. */
export interface FillQuery extends IdPage {
  orderId?: number;
  productId?: string;
}

/** What one batch of outcomes changed, written at once with the checkpoint it reached. */
export interface HistoryChanges {
  /** Whole records, inserted or replacing the stored ones. */
  orders: readonly OrderRecord[];
  fills: readonly FillRecord[];
  checkpoint: number;
}

/**
 * Orders and fills per user. Idempotent by checkpoint: `commit` writes only if the stored
 * checkpoint is still the one the writer read, in one transaction with the changes.
 */
export interface OrderHistoryStore {
  /** Sequence of the last command applied; 0 before the first. */
  checkpoint(): Promise<number>;
  findOrders(ids: readonly number[]): Promise<OrderRecord[]>;
  /** False, writing nothing, when the checkpoint is no longer `expectedCheckpoint`. */
  commit(expectedCheckpoint: number, changes: HistoryChanges): Promise<boolean>;
  /** Newest first, the user's own only. */
  listOrders(userId: string, query: OrderQuery): Promise<OrderRecord[]>;
  getOrder(userId: string, orderId: number): Promise<OrderRecord | null>;
  /** The newest of the user's orders with that client id. */
  getOrderByClientOid(userId: string, clientOid: string): Promise<OrderRecord | null>;
  /** Newest first, the user's own only. */
  listFills(userId: string, query: FillQuery): Promise<FillRecord[]>;
}

export const OrderHistoryStore = Symbol.for('sd.exchange.OrderHistoryStore');
