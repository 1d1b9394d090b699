import type { CommandOutcome, ExchangeEvent } from '@sd/domain/exchange/event';
import type { FillRecord, OrderHistoryStore, OrderRecord } from '@sd/domain/exchange/order-history';
import type { ProductCatalog, ProductSpec } from '../../core/catalog/product-catalog';
import { formatUnits } from '../../core/money/decimal-format';
import { addDecimal } from '../../core/money/decimal-units';

/**
 * Keeps every user's orders and fills from the engine's outcomes. Idempotent by checkpoint:
 * outcomes at or below the stored checkpoint are skipped, and the changes of a batch land in
 * one transaction with the new checkpoint. If another writer moved the checkpoint meanwhile,
 * the batch is read again and only its unseen tail applied.
 */
export class HistoryProjector {
  constructor(
    private readonly catalog: ProductCatalog,
    private readonly store: OrderHistoryStore,
  ) {}

  /** `outcomes` in sequence order, as the sequencer published them. */
  async project(outcomes: readonly CommandOutcome[]): Promise<void> {
    for (;;) {
      const checkpoint = await this.store.checkpoint();
      const fresh = outcomes.filter((outcome) => outcome.sequence > checkpoint);
      if (fresh.length === 0) return;
      const changes = await this.apply(fresh);
      if (await this.store.commit(checkpoint, changes)) return;
    }
  }

  private async apply(outcomes: readonly CommandOutcome[]): Promise<{ orders: OrderRecord[]; fills: FillRecord[]; checkpoint: number }> {
    const orders = new Map<number, OrderRecord>();
    for (const order of await this.store.findOrders(touchedOrders(outcomes))) orders.set(order.id, order);
    const changed = new Set<OrderRecord>();
    const fills: FillRecord[] = [];
    for (const outcome of outcomes) {
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
              if (order === undefined) continue; // placed before this history began
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
            // The engine's totals are authoritative, whatever this history saw of the order.
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
          default:
            // open: the order already is; change: a self-trade decrement that a later match or
            // done reflects; balance and l2update belong to other read sides.
            break;
        }
      }
    }
    return { orders: [...changed], fills, checkpoint: outcomes[outcomes.length - 1]!.sequence };
  }

  private product(id: string): ProductSpec {
    const product = this.catalog.product(id);
    if (product === undefined) throw new Error(`unknown product ${id}`);
    return product;
  }
}

/** Ids of orders placed before the batch whose state the batch changes. */
function touchedOrders(outcomes: readonly CommandOutcome[]): number[] {
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
