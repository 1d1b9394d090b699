import type { Hold, HoldChanges, HoldStore } from '@sd/domain/exchange/account-ledger';
import type { CommandOutcome } from '@sd/domain/exchange/event';
import type { ProductCatalog, ProductSpec } from '../../core/catalog/product-catalog';
import { buyHold } from '../../core/engine/clearing';
import { formatUnits, toUnits } from '../../core/money/decimal';
import { projectOnce } from '../checkpointed';

/** A resting order as the fold tracks it, in minor units, as the engine holds it. */
interface Resting {
  hold: Omit<Hold, 'amount' | 'price' | 'remainingSize'>;
  price: number;
  remaining: number;
  held: number;
}

/**
 * Keeps the hold of every resting order from the engine's outcomes, exactly as the engine
 * holds it: the fold repeats the engine's hold arithmetic on what the events say. A sell holds
 * its remaining size. A limit buy holds `buyHold` of its size when received, pays each fill's
 * notional and fee out of it, and is cut to `buyHold` of what it may still trade when it rests
 * and after each later fill or self-trade decrement (never raised: the margin can leave it a
 * unit below); a fee change sets every resting buy of the product to `buyHold` at the new
 * fees (an owner who cannot cover a raise sees the order canceled). `buyHold` takes the fees
 * in force at each event. Idempotent by checkpoint, like the order history.
 */
export class HoldProjector {
  constructor(
    /**
     * The read side's catalog, at the batch's start for the products it already had: the
     * read side follows fee changes after projecting a batch (see ReadSideProjector).
     */
    private readonly catalog: ProductCatalog,
    private readonly store: HoldStore,
  ) {}

  project(outcomes: readonly CommandOutcome[]): Promise<void> {
    return projectOnce(this.store, outcomes, (fresh) => this.changes(fresh, this.pricesAt(outcomes, fresh)));
  }

  /** A catalog to follow through `fresh` one outcome at a time: at the state before its first outcome. */
  private pricesAt(outcomes: readonly CommandOutcome[], fresh: readonly CommandOutcome[]): ProductCatalog {
    if (!outcomes.some(({ events }) => events.some((event) => event.type === 'product'))) return this.catalog;
    const prices = this.catalog.copy();
    prices.follow(outcomes.filter((outcome) => outcome.sequence < fresh[0]!.sequence));
    return prices;
  }

  private async changes(outcomes: readonly CommandOutcome[], prices: ProductCatalog): Promise<HoldChanges> {
    const resting = new Map<number, Resting>();
    for (const hold of await this.store.findHolds(ordersRestingBefore(outcomes))) resting.set(hold.orderId, tracked(hold, spec(prices, hold.productId)));
    const changed = new Set<number>();
    const released = new Set<number>();
    for (const { events, timestamp } of outcomes) {
      /** Quote an incoming limit buy holds, as its fills pay out of it before it rests. */
      const entering = new Map<number, number>();
      for (const event of events) {
        switch (event.type) {
          case 'received':
            if (event.orderType === 'limit' && event.side === 'buy') {
              const p = spec(prices, event.productId);
              entering.set(event.orderId, buyHold(p, event.price! / p.tickUnits, event.size! / p.lotUnits));
            }
            break;
          case 'match': {
            const cost = event.funds + (event.side === 'buy' ? event.makerFee : event.takerFee);
            const taker = entering.get(event.takerOrderId);
            if (taker !== undefined) entering.set(event.takerOrderId, taker - cost);
            const maker = resting.get(event.makerOrderId);
            if (maker === undefined) break;
            maker.remaining -= event.size;
            maker.held -= maker.hold.side === 'buy' ? cost : event.size;
            this.trim(maker, prices, timestamp);
            changed.add(event.makerOrderId);
            break;
          }
          case 'change': {
            // Self-trade prevention took lots off a resting maker (a taker's decrement comes before it rests).
            const order = resting.get(event.orderId);
            if (order === undefined) break;
            order.remaining -= event.oldSize - event.newSize;
            if (order.hold.side === 'sell') order.held = order.remaining;
            this.trim(order, prices, timestamp);
            changed.add(event.orderId);
            break;
          }
          case 'open': {
            const p = spec(prices, event.productId);
            const buy = event.side === 'buy';
            const hold = { orderId: event.orderId, userId: event.userId, productId: event.productId, side: event.side, currency: buy ? p.quote.id : p.base.id, createdAt: timestamp, updatedAt: timestamp };
            const order: Resting = { hold, price: event.price, remaining: event.remainingSize, held: buy ? entering.get(event.orderId)! : event.remainingSize };
            this.trim(order, prices, timestamp);
            resting.set(event.orderId, order);
            changed.add(event.orderId);
            break;
          }
          case 'done':
            if (resting.delete(event.orderId)) released.add(event.orderId);
            changed.delete(event.orderId);
            break;
          case 'product':
            prices.learn(event.product); // a copy: the batch has product events
            await this.reprice(event.product.id, prices, resting, released, timestamp);
            for (const [orderId, order] of resting) if (order.hold.productId === event.product.id && order.hold.side === 'buy') changed.add(orderId);
            break;
          default:
            break;
        }
      }
    }
    const holds = [...changed].map((orderId) => held(resting.get(orderId)!, spec(prices, resting.get(orderId)!.hold.productId)));
    return { holds, released: [...released], checkpoint: outcomes[outcomes.length - 1]!.sequence };
  }

  /** A fee change: every resting buy of the product holds `buyHold` at the new fees. */
  private async reprice(productId: string, prices: ProductCatalog, resting: Map<number, Resting>, released: Set<number>, at: number): Promise<void> {
    const p = spec(prices, productId);
    for (const hold of await this.store.holdsOfProduct(productId, 'buy')) {
      if (!resting.has(hold.orderId) && !released.has(hold.orderId)) resting.set(hold.orderId, tracked(hold, p));
    }
    for (const order of resting.values()) {
      if (order.hold.productId !== productId || order.hold.side !== 'buy') continue;
      order.held = buyHold(p, order.price / p.tickUnits, order.remaining / p.lotUnits);
      order.hold = { ...order.hold, updatedAt: at };
    }
  }

  /** The engine's `trimHold`: a buy is cut, never raised, to what its remaining size may still cost. */
  private trim(order: Resting, prices: ProductCatalog, at: number): void {
    if (order.hold.side === 'buy') {
      const p = spec(prices, order.hold.productId);
      order.held = Math.min(order.held, buyHold(p, order.price / p.tickUnits, order.remaining / p.lotUnits));
    }
    order.hold = { ...order.hold, updatedAt: at };
  }
}

function spec(prices: ProductCatalog, productId: string): ProductSpec {
  const found = prices.product(productId);
  if (found === undefined) throw new Error(`unknown product ${productId}`);
  return found;
}

/** The hold as stored. */
function held({ hold, price, remaining, held: units }: Resting, p: ProductSpec): Hold {
  const scale = hold.side === 'buy' ? p.quote.scale : p.base.scale;
  return { ...hold, amount: formatUnits(units, scale), price: formatUnits(price, p.quote.scale), remainingSize: formatUnits(remaining, p.base.scale) };
}

function tracked({ amount, price, remainingSize, ...hold }: Hold, p: ProductSpec): Resting {
  const scale = hold.side === 'buy' ? p.quote.scale : p.base.scale;
  return { hold, price: Number(toUnits(price, p.quote.scale)), remaining: Number(toUnits(remainingSize, p.base.scale)), held: Number(toUnits(amount, scale)) };
}

/** Orders the batch changes that may have rested before it: makers of fills, decremented and done orders. */
function ordersRestingBefore(outcomes: readonly CommandOutcome[]): number[] {
  const ids = new Set<number>();
  for (const { events } of outcomes) {
    for (const event of events) {
      if (event.type === 'match') ids.add(event.makerOrderId);
      else if (event.type === 'change' || event.type === 'done') ids.add(event.orderId);
    }
  }
  for (const outcome of outcomes) if (outcome.orderId !== null) ids.delete(outcome.orderId);
  return [...ids];
}
