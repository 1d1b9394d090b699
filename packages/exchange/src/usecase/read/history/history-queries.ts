import { invalidInput } from '@sd/domain/errors';
import type { FillRecord, OrderHistoryStore, OrderRecord } from '@sd/domain/exchange/order-history';
import { idPage, type CursorQuery } from '../paging';

/** Paged by order id. */
export interface ListOrdersQuery extends CursorQuery {
  /** Default `all`. */
  status?: 'open' | 'done' | 'all';
  productId?: string;
}

/** Paged by trade id. */
export interface ListFillsQuery extends CursorQuery {
  orderId?: number;
  productId?: string;
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
    return this.store.listOrders(userId, { status, productId: query.productId, ...idPage(query, 'an id from a previous page') });
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
    return this.store.listFills(userId, { orderId: query.orderId, productId: query.productId, ...idPage(query, 'an id from a previous page') });
  }
}

const isId = (value: number): boolean => Number.isSafeInteger(value) && value > 0;
