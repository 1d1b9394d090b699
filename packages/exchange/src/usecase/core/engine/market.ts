import type { ListProductCommand, SetProductFeesCommand, SetProductStatusCommand } from '@sd/domain/exchange/command';
import type { CancelReason } from '@sd/domain/exchange/event';
import type { Product } from '@sd/domain/exchange/product';
import type { RejectionCode } from '@sd/domain/exchange/rejection';
import type { ProductSpec } from '../catalog/product-catalog';
import type { UserAccount } from '../ledger/ledger';
import type { Order } from '../matching/order';
import { buyHold, type Clearing } from './clearing';
import { closeBook } from './engine-events';
import type { EngineState, ProductState } from './engine-state';

/*
 * The market commands: the catalog is engine state, changed only here, and each change is
 * a `product` event that every other holder of product facts follows.
 */

export function listProduct(state: EngineState, cmd: ListProductCommand): RejectionCode | null {
  if (state.catalog.product(cmd.product.id) !== undefined) return 'PRODUCT_EXISTS';
  const spec = attempt(() => state.catalog.list(cmd.product));
  if (spec === null) return 'INVALID_PRODUCT';
  state.addProduct(spec);
  emitProduct(state, spec);
  return null;
}

/**
 * New fee rates apply to every fill from now on, resting orders included. A resting buy's
 * hold must still cover its worst-case fee (see `buyHold`): a cut returns the excess, a
 * raise holds more, and an order whose owner cannot cover the raise is canceled.
 */
export function setProductFees(state: EngineState, clearing: Clearing, cmd: SetProductFeesCommand): RejectionCode | null {
  const product = state.productById.get(cmd.productId);
  if (product === undefined) return 'UNKNOWN_PRODUCT';
  const spec = change(state, product, { makerFeeRate: cmd.makerFeeRate, takerFeeRate: cmd.takerFeeRate });
  if (spec === null) return 'INVALID_PRODUCT';
  emitProduct(state, spec);
  const { ledger } = state;
  const quote = spec.quote.index;
  const unaffordable: Order[] = [];
  for (const order of restingOrders(state, product)) {
    if (order.side !== 'buy') continue;
    const needed = buyHold(spec, order.price, order.remaining);
    if (needed <= order.hold) {
      clearing.trimHold(spec, order);
      continue;
    }
    const account = ledger.users[order.owner] as UserAccount;
    if ((account.available[quote] as number) < needed - order.hold) {
      unaffordable.push(order);
      continue;
    }
    ledger.hold(account, quote, needed - order.hold);
    order.hold = needed;
  }
  cancelResting(state, clearing, product, unaffordable, 'fee_change');
  return null;
}

/** A delisting cancels every resting order of the product. */
export function setProductStatus(state: EngineState, clearing: Clearing, cmd: SetProductStatusCommand): RejectionCode | null {
  const product = state.productById.get(cmd.productId);
  if (product === undefined) return 'UNKNOWN_PRODUCT';
  const spec = change(state, product, { status: cmd.status });
  if (spec === null) return 'INVALID_ARGUMENT';
  emitProduct(state, spec);
  if (spec.status === 'delisted') cancelResting(state, clearing, product, restingOrders(state, product), 'delisted');
  return null;
}

function change(state: EngineState, product: ProductState, fields: Partial<Product>): ProductSpec | null {
  const spec = attempt(() => state.catalog.update({ ...product.spec.source, ...fields }));
  if (spec !== null) product.spec = spec;
  return spec;
}

/** In id order, which is time priority. */
function restingOrders(state: EngineState, product: ProductState): Order[] {
  return [...state.orders.values()].filter((order) => order.productIndex === product.spec.index);
}

function cancelResting(state: EngineState, clearing: Clearing, product: ProductState, orders: readonly Order[], reason: CancelReason): void {
  if (orders.length === 0) return;
  product.book.begin(state.sequence);
  for (const order of orders) {
    product.book.remove(order);
    clearing.finish(product, order, reason);
  }
  closeBook(state, product);
}

function emitProduct(state: EngineState, spec: ProductSpec): void {
  state.events?.push({ type: 'product', product: spec.source });
}

/** The catalog throws with its reason; the engine answers a rejection code (the parser already gave the reason). */
function attempt(compile: () => ProductSpec): ProductSpec | null {
  try {
    return compile();
  } catch {
    return null;
  }
}
