import Big from 'big.js';
import type { Fill, Order, UserMessage } from './types';

export type { UserMessage } from './types';

const RANK: Record<Order['status'], number> = { pending: 0, open: 1, done: 2 };

/**
 * The trader's own orders and fills, loaded from REST and kept current from the `user`
 * channel. The history store is written asynchronously, so a push may arrive before or after
 * the REST answer that covers it: merging never moves an order back to an earlier status.
 */
export class OrderStore {
  private readonly orders = new Map<string, Order>();
  private readonly fills = new Map<string, Fill>();

  clear(): void {
    this.orders.clear();
    this.fills.clear();
  }

  upsertOrder(order: Order): void {
    const known = this.orders.get(order.id);
    if (!known) {
      this.orders.set(order.id, { ...order });
      return;
    }
    const later = RANK[order.status] >= RANK[known.status];
    const merged: Order = later ? { ...known, ...definedOnly(order) } : { ...order, ...definedOnly(known) };
    merged.filled_size = maxOf(known.filled_size, order.filled_size);
    this.orders.set(order.id, merged);
  }

  addFill(fill: Fill): void {
    const key = `${fill.trade_id}:${fill.order_id}`;
    const known = this.fills.get(key);
    // A REST fill carries the fee a pushed match may lack; keep whichever is more complete.
    if (!known || (known.fee == null && fill.fee != null)) this.fills.set(key, fill);
  }

  /** Applies one `user` channel message. */
  apply(message: UserMessage): void {
    const time = message.time ?? new Date().toISOString();
    switch (message.type) {
      case 'received':
        this.upsertOrder({
          id: message.order_id,
          client_oid: message.client_oid ?? null,
          product_id: message.product_id,
          side: message.side,
          type: message.order_type,
          price: message.price ?? null,
          size: message.size ?? null,
          funds: message.funds ?? null,
          status: 'pending',
          filled_size: '0',
          created_at: time,
        });
        return;
      case 'open':
        this.patch(message.order_id, { status: 'open' });
        return;
      case 'change':
        this.patch(message.order_id, { size: message.new_size });
        return;
      case 'done':
        this.patch(message.order_id, { status: 'done', done_reason: message.reason, done_at: time });
        return;
      case 'match':
        for (const [id, liquidity] of [[message.maker_order_id, 'M'], [message.taker_order_id, 'T']] as const) {
          const order = id ? this.orders.get(id) : undefined;
          if (!order) continue;
          // The same match comes on the `matches` channel (no fee) and on the `user` channel
          // (with the fee of the side it is addressed to): count the size once.
          if (!this.fills.has(`${message.trade_id}:${order.id}`)) order.filled_size = new Big(order.filled_size ?? 0).plus(message.size).toFixed();
          this.addFill({
            trade_id: message.trade_id,
            product_id: message.product_id,
            order_id: order.id,
            price: message.price,
            size: message.size,
            side: order.side,
            liquidity,
            fee: message.liquidity === liquidity ? (message.fee ?? null) : null,
            created_at: time,
          });
        }
        return;
    }
  }

  /** The caller canceled the order (its `done` message may come later, or never if it was not subscribed). */
  canceled(id: string): void {
    this.patch(id, { status: 'done', done_reason: 'canceled', done_at: new Date().toISOString() });
  }

  openOrders(): Order[] {
    return this.sorted().filter((o) => o.status === 'open' || o.status === 'pending');
  }

  doneOrders(): Order[] {
    return this.sorted().filter((o) => o.status === 'done');
  }

  /** Newest first. */
  fillList(): Fill[] {
    return [...this.fills.values()].sort((a, b) => b.created_at.localeCompare(a.created_at) || String(b.trade_id).localeCompare(String(a.trade_id)));
  }

  private patch(id: string, change: Partial<Order>): void {
    const order = this.orders.get(id);
    // An update for an order placed elsewhere before this page loaded: it arrives with the next REST load.
    if (order) this.upsertOrder({ ...order, ...change, status: change.status ?? order.status });
  }

  private sorted(): Order[] {
    return [...this.orders.values()].sort((a, b) => (b.created_at ?? '').localeCompare(a.created_at ?? ''));
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as Partial<T>;
}

function maxOf(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return new Big(a).gte(b) ? a : b;
}
