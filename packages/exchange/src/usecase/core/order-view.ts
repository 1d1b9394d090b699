import type { CommandOutcome, ExchangeEvent } from '@sd/domain/exchange/event';
import type { FillRecord, OrderRecord, OrderView } from '@sd/domain/exchange/order-history';
import type { ProductCatalog, ProductSpec } from './catalog/product-catalog';
import type { OpenOrderView } from './engine/engine-views';
import { addDecimal, formatUnits } from './money/decimal';

/**
 * The one order shape clients see (`OrderRecord`), folded from engine events: the answer to
 * a place command is its own outcome folded into an empty set, and the history is every
 * outcome folded into the stored records. Both therefore agree field for field.
 */
export class OrderViews {
  constructor(private readonly catalog: ProductCatalog) {}

  /** The order an accepted place command created, as its own outcome leaves it. */
  placed(outcome: CommandOutcome): OrderRecord {
    const orders = new Map<number, OrderRecord>();
    this.fold(outcome, orders, new Set(), []);
    const order = outcome.orderId === null ? undefined : orders.get(outcome.orderId);
    if (order === undefined) throw new Error('not an accepted place command');
    return order;
  }

  /** A resting order as the engine shows it. */
  open(view: OpenOrderView): OrderView {
    const p = this.product(view.productId);
    return {
      id: view.orderId,
      clientOid: view.clientOid,
      userId: view.userId,
      productId: view.productId,
      side: view.side,
      type: 'limit',
      price: formatUnits(view.price, p.quote.scale),
      size: formatUnits(view.size, p.base.scale),
      funds: null,
      timeInForce: view.timeInForce,
      postOnly: view.postOnly,
      stp: view.stp,
      status: 'open',
      doneReason: null,
      cancelReason: null,
      filledSize: formatUnits(view.filledSize, p.base.scale),
      executedValue: formatUnits(view.executedValue, p.quote.scale),
      fillFees: formatUnits(view.fillFees, p.quote.scale),
      createdAt: view.createdAt,
      doneAt: null,
    };
  }

  /**
   * Applies one outcome to `orders` (by id; orders missing from it were placed before this
   * history began and are skipped), adding each order it touched to `changed` and each side
   * of every trade to `fills`.
   */
  fold(outcome: CommandOutcome, orders: Map<number, OrderRecord>, changed: Set<OrderRecord>, fills: FillRecord[]): void {
    const { sequence, timestamp } = outcome;
    for (const event of outcome.events) {
      switch (event.type) {
        case 'received': {
          const p = this.product(event.productId);
          const order: OrderRecord = {
            id: event.orderId,
            userId: event.userId,
            clientOid: event.clientOid,
            productId: event.productId,
            side: event.side,
            type: event.orderType,
            price: event.price === null ? null : formatUnits(event.price, p.quote.scale),
            size: event.size === null ? null : formatUnits(event.size, p.base.scale),
            funds: event.funds === null ? null : formatUnits(event.funds, p.quote.scale),
            timeInForce: event.timeInForce,
            postOnly: event.postOnly,
            stp: event.stp,
            status: 'open',
            filledSize: formatUnits(0, p.base.scale),
            executedValue: formatUnits(0, p.quote.scale),
            fillFees: formatUnits(0, p.quote.scale),
            doneReason: null,
            cancelReason: null,
            createdAt: timestamp,
            doneAt: null,
            lastSequence: sequence,
          };
          orders.set(order.id, order);
          changed.add(order);
          break;
        }
        case 'match': {
          const p = this.product(event.productId);
          const price = formatUnits(event.price, p.quote.scale);
          const size = formatUnits(event.size, p.base.scale);
          const taker = event.side === 'buy' ? 'sell' : 'buy';
          const sides = [
            { orderId: event.makerOrderId, userId: event.makerUserId, fee: event.makerFee, liquidity: 'M', side: event.side },
            { orderId: event.takerOrderId, userId: event.takerUserId, fee: event.takerFee, liquidity: 'T', side: taker },
          ] as const;
          for (const { orderId, userId, fee, liquidity, side } of sides) {
            const feeText = formatUnits(fee, p.quote.scale);
            fills.push({ tradeId: event.tradeId, userId, orderId, productId: event.productId, price, size, liquidity, fee: feeText, side, createdAt: timestamp, sequence });
            const order = orders.get(orderId);
            if (order === undefined) continue;
            order.filledSize = addDecimal(order.filledSize, size, p.base.scale);
            order.executedValue = addDecimal(order.executedValue, formatUnits(event.funds, p.quote.scale), p.quote.scale);
            order.fillFees = addDecimal(order.fillFees, feeText, p.quote.scale);
            order.lastSequence = sequence;
            changed.add(order);
          }
          break;
        }
        case 'done': {
          const order = orders.get(event.orderId);
          if (order === undefined) break;
          const p = this.product(event.productId);
          // The engine's totals are authoritative, whatever this fold saw of the order.
          order.status = 'done';
          order.filledSize = formatUnits(event.filledSize, p.base.scale);
          order.executedValue = formatUnits(event.executedValue, p.quote.scale);
          order.fillFees = formatUnits(event.fillFees, p.quote.scale);
          order.doneReason = event.reason;
          order.cancelReason = event.cancelReason;
          order.doneAt = timestamp;
          order.lastSequence = sequence;
          changed.add(order);
          break;
        }
        case 'change': {
          // Self-trade prevention shrank the order: its size goes down, as Coinbase shows it.
          const order = orders.get(event.orderId);
          if (order === undefined) break;
          order.size = formatUnits(event.newSize, this.product(event.productId).base.scale);
          order.lastSequence = sequence;
          changed.add(order);
          break;
        }
        default:
          // open: the order already is; product, balance and l2update belong to other read sides.
          break;
      }
    }
  }

  private product(id: string): ProductSpec {
    const product = this.catalog.product(id);
    if (product === undefined) throw new Error(`unknown product ${id}`);
    return product;
  }
}

/** Ids of orders placed before the batch whose state the batch changes. */
export function ordersTouchedBefore(outcomes: readonly CommandOutcome[]): number[] {
  const ids = new Set<number>();
  const add = (event: ExchangeEvent): void => {
    if (event.type === 'match') {
      ids.add(event.makerOrderId);
      ids.add(event.takerOrderId);
    } else if (event.type === 'done') {
      ids.add(event.orderId);
    }
  };
  for (const outcome of outcomes) for (const event of outcome.events) add(event);
  for (const outcome of outcomes) if (outcome.orderId !== null) ids.delete(outcome.orderId);
  return [...ids];
}
