import type { CommandOutcome } from '@sd/domain/exchange/event';
import type { FillRecord, OrderHistoryStore, OrderRecord } from '@sd/domain/exchange/order-history';
import type { ProductCatalog } from '../../core/catalog/product-catalog';
import { OrderViews, ordersTouchedBefore } from '../../core/order-view';
import { projectOnce } from '../checkpointed';

/**
 * Keeps every user's orders and fills from the engine's outcomes. Idempotent by checkpoint:
 * outcomes at or below the stored checkpoint are skipped, and the changes of a batch land in
 * one transaction with the new checkpoint. If another writer moved the checkpoint meanwhile,
 * the batch is read again and only its unseen tail applied.
 */
export class HistoryProjector {
  private readonly views: OrderViews;

  constructor(
    catalog: ProductCatalog,
    private readonly store: OrderHistoryStore,
  ) {
    this.views = new OrderViews(catalog);
  }

  /** `outcomes` in sequence order, as the sequencer published them. */
  project(outcomes: readonly CommandOutcome[]): Promise<void> {
    return projectOnce(this.store, outcomes, (fresh) => this.apply(fresh));
  }

  private async apply(outcomes: readonly CommandOutcome[]): Promise<{ orders: OrderRecord[]; fills: FillRecord[]; checkpoint: number }> {
    const orders = new Map<number, OrderRecord>();
    for (const order of await this.store.findOrders(ordersTouchedBefore(outcomes))) orders.set(order.id, order);
    const changed = new Set<OrderRecord>();
    const fills: FillRecord[] = [];
    for (const outcome of outcomes) this.views.fold(outcome, orders, changed, fills);
    return { orders: [...changed], fills, checkpoint: outcomes[outcomes.length - 1]!.sequence };
  }
}
