import type { EngineSnapshot, SnapshotOrder } from '@sd/domain/exchange/snapshot';
import { Order } from '../matching/order';
import type { EngineState, ProductState } from './engine-state';

/** Full state after `state.sequence`, in a stable order (see EngineSnapshot). */
export function takeSnapshot(state: EngineState): EngineSnapshot {
  const currencies = state.catalog.currencies;
  const byProduct: SnapshotOrder[][] = state.products.map(() => []);
  // Map iteration is insertion order, which is id order: orders rest when accepted.
  for (const order of state.orders.values()) byProduct[order.productIndex]!.push(snapshotOrder(order));
  return {
    sequence: state.sequence,
    timestamp: state.timestamp,
    lastTradeId: state.tradeId,
    market: state.catalog.definition(),
    supply: currencies.map((currency) => ({ currency: currency.id, amount: state.ledger.supply[currency.index] as number })),
    accounts: state.ledger.users.flatMap((user) =>
      currencies.map((currency) => ({
        userId: user.id,
        currency: currency.id,
        available: user.available[currency.index] as number,
        hold: user.hold[currency.index] as number,
      })),
    ),
    products: state.products.map((product, i) => ({
      productId: product.spec.id,
      bookSequence: product.bookSequence,
      orders: byProduct[i]!,
    })),
    clientOids: state.clientOids.entries(),
  };
}

/** Loads a snapshot into a fresh state built with the snapshot's market (see `ExchangeEngine.restore`) and the same options. */
export function loadSnapshot(state: EngineState, snapshot: EngineSnapshot): void {
  state.sequence = snapshot.sequence;
  state.timestamp = snapshot.timestamp;
  state.tradeId = snapshot.lastTradeId;
  const { ledger, catalog } = state;
  const currencyIndex = (id: string): number => {
    const currency = catalog.currency(id);
    if (currency === undefined) throw new Error(`snapshot names unknown currency ${id}`);
    return currency.index;
  };
  for (const { currency, amount } of snapshot.supply) ledger.supply[currencyIndex(currency)] = amount;
  for (const account of snapshot.accounts) {
    const user = ledger.open(account.userId);
    user.available[currencyIndex(account.currency)] = account.available;
    user.hold[currencyIndex(account.currency)] = account.hold;
  }
  state.feeAccount = ledger.find(state.feeAccountId);
  const resting: Array<{ product: ProductState; order: SnapshotOrder }> = [];
  for (const saved of snapshot.products) {
    const product = state.productById.get(saved.productId);
    if (product === undefined) throw new Error(`snapshot names unknown product ${saved.productId}`);
    product.bookSequence = saved.bookSequence;
    for (const order of saved.orders) resting.push({ product, order });
  }
  // Re-adding in id order restores time priority in every level and every user's list.
  resting.sort((a, b) => a.order.id - b.order.id);
  for (const { product, order: saved } of resting) {
    const user = ledger.find(saved.userId);
    if (user === undefined) throw new Error(`snapshot order ${saved.id} belongs to unknown user ${saved.userId}`);
    const order = new Order(
      saved.id,
      user.index,
      user.id,
      product.spec.index,
      saved.side,
      'limit',
      saved.price,
      saved.size,
      saved.remaining,
      'GTC',
      saved.postOnly,
      saved.stp,
      saved.clientOid,
      saved.createdAt,
    );
    order.hold = saved.hold;
    order.filled = saved.filled;
    order.executedValue = saved.executedValue;
    order.fees = saved.fees;
    order.makerNotional = saved.makerNotional;
    order.takerNotional = saved.takerNotional;
    product.book.add(order);
    state.orders.set(order.id, order);
    user.link(order);
  }
  for (const { userId, clientOid } of snapshot.clientOids) {
    const user = ledger.find(userId);
    if (user === undefined) throw new Error(`snapshot client oid of unknown user ${userId}`);
    state.clientOids.remember(user, clientOid);
  }
}

function snapshotOrder(order: Order): SnapshotOrder {
  return {
    id: order.id,
    userId: order.userId,
    side: order.side,
    price: order.price,
    size: order.size,
    remaining: order.remaining,
    hold: order.hold,
    filled: order.filled,
    executedValue: order.executedValue,
    fees: order.fees,
    makerNotional: order.makerNotional,
    takerNotional: order.takerNotional,
    stp: order.stp,
    postOnly: order.postOnly,
    clientOid: order.clientOid,
    createdAt: order.createdAt,
  };
}
