import { invalidInput } from '@sd/domain/errors';
import type { FillRecord, OrderHistoryStore, OrderRecord } from '@sd/domain/exchange/order-history';
import { pageLimit } from '../quotation/quotation-queries';

export interface ListOrdersQuery {
  /** Default `all`. */
  status?: 'open' | 'done' | 'all';
  productId?: string;
  /** 1..1000, default 100. */
  limit?: number;
  /** An order id: only older orders. */
  after?: number;
}

export interface ListFillsQuery {
  orderId?: number;
  productId?: string;
  /** 1..1000, default 100. */
  limit?: number;
  /** A trade id: only older fills. */
  after?: number;
}

/**
 * A user's own orders and fills, newest first. Every query is scoped to the caller's user
 * id, so an order id guessed from another user answers nothing.
 */
export class HistoryQueries {
  constructor(private readonly store: OrderHistoryStore) {}

  /** Sequence of the last command applied; wait for it to reach a user's acknowledged sequence to read their own writes. */
  checkpoint(): Promise<number> {
    return this.store.checkpoint();
  }

  async listOrders(userId: string, query: ListOrdersQuery = {}): Promise<OrderRecord[]> {
    const status = query.status ?? 'all';
    if (!['open', 'done', 'all'].includes(status)) throw invalidInput('status must be open, done or all');
    return this.store.listOrders(userId, { status, productId: query.productId, limit: pageLimit(query.limit), before: cursor(query.after) });
  }

  async getOrder(userId: string, orderId: number): Promise<OrderRecord | null> {
    if (!isId(orderId)) return null;
    return this.store.getOrder(userId, orderId);
  }

  getOrderByClientOid(userId: string, clientOid: string): Promise<OrderRecord | null> {
    return this.store.getOrderByClientOid(userId, clientOid);
  }

  async listFills(userId: string, query: ListFillsQuery = {}): Promise<FillRecord[]> {
    if (query.orderId !== undefined && !isId(query.orderId)) throw invalidInput('order_id must be an order id');
    return this.store.listFills(userId, { orderId: query.orderId, productId: query.productId, limit: pageLimit(query.limit), before: cursor(query.after) });
  }
}

const isId = (value: number): boolean => Number.isSafeInteger(value) && value > 0;

function cursor(after: number | undefined): number | undefined {
  if (after !== undefined && !isId(after)) throw invalidInput('after must be an id from a previous page');
  return after;
}
