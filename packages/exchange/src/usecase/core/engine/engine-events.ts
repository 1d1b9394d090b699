import type { OrderSide } from '@sd/domain/exchange/command';
import type { ProductSpec } from '../catalog/product-catalog';
import type { UserAccount } from '../ledger/ledger';
import type { Order } from '../matching/order';
import type { EngineState, ProductState } from './engine-state';

/*
 * The events of order entry and of the end of every command, in minor units. Callers emit
 * only while `state.events` is set (not during replay), except `closeBook`, which also
 * counts the book's sequence.
 */

export function emitReceived(state: EngineState, spec: ProductSpec, order: Order, funds: number): void {
  state.events!.push({
    type: 'received',
    orderId: order.id,
    clientOid: order.clientOid,
    userId: order.userId,
    productId: spec.id,
    side: order.side,
    orderType: order.type,
    price: order.type === 'limit' ? order.price * spec.tickUnits : null,
    size: order.size > 0 ? order.size * spec.lotUnits : null,
    funds: funds > 0 ? funds : null,
    timeInForce: order.timeInForce,
    postOnly: order.postOnly,
    stp: order.stp,
  });
}

export function emitOpen(state: EngineState, spec: ProductSpec, order: Order): void {
  state.events!.push({
    type: 'open',
    orderId: order.id,
    userId: order.userId,
    productId: spec.id,
    side: order.side,
    price: order.price * spec.tickUnits,
    remainingSize: order.remaining * spec.lotUnits,
  });
}

/** Counts a book change and emits its level-2 delta. */
export function closeBook(state: EngineState, product: ProductState): void {
  const { changed, changedCount } = product.book;
  if (changedCount === 0) return;
  product.bookSequence++;
  const events = state.events;
  if (events === null) return;
  const spec = product.spec;
  const changes: Array<[OrderSide, number, number]> = new Array(changedCount);
  for (let i = 0; i < changedCount; i++) {
    const level = changed[i]!;
    changes[i] = [level.side, level.price * spec.tickUnits, level.total * spec.lotUnits];
  }
  events.push({ type: 'l2update', productId: spec.id, bookSequence: product.bookSequence, changes });
}

/** Every balance the command changed, once each, in order of first change. */
export function emitBalances(state: EngineState): void {
  const { ledger, catalog, events } = state;
  const { touchedUsers, touchedCurrencies, touchedCount } = ledger;
  for (let i = 0; i < touchedCount; i++) {
    const user = touchedUsers[i] as UserAccount;
    const c = touchedCurrencies[i] as number;
    events!.push({
      type: 'balance',
      userId: user.id,
      currency: catalog.currencies[c]!.id,
      available: user.available[c] as number,
      hold: user.hold[c] as number,
    });
  }
}
