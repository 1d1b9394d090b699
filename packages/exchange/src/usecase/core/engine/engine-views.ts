import type { OrderSide, SelfTradePrevention, TimeInForce } from '@sd/domain/exchange/command';
import type { Order } from '../matching/order';
import type { PriceLevel } from '../matching/order-book';
import type { EngineState } from './engine-state';

/*
 * What the engine shows of its state, as integers like its events: amounts in minor units
 * (prices in quote minor units per whole base unit, sizes in base minor units), ids as
 * numbers. Whoever shows them formats them, once, through money/decimal.
 */

/** A resting order. */
export interface OpenOrderView {
  orderId: number;
  clientOid: string | null;
  userId: string;
  productId: string;
  side: OrderSide;
  price: number;
  size: number;
  remainingSize: number;
  filledSize: number;
  executedValue: number;
  fillFees: number;
  postOnly: boolean;
  stp: SelfTradePrevention;
  timeInForce: TimeInForce;
  createdAt: number;
}

export interface BalanceView {
  currency: string;
  available: number;
  hold: number;
}

export interface BookView<Row> {
  productId: string;
  bookSequence: number;
  bids: Row[];
  asks: Row[];
}

/** `[price, size, order count]` */
export type Level2Row = [number, number, number];
/** `[price, size, order id]` */
export type Level3Row = [number, number, number];

export function balances(state: EngineState, userId: string): BalanceView[] {
  const user = state.ledger.find(userId);
  return state.catalog.currencies.map((currency) => ({
    currency: currency.id,
    available: user?.available[currency.index] ?? 0,
    hold: user?.hold[currency.index] ?? 0,
  }));
}

export function openOrder(state: EngineState, orderId: number): OpenOrderView | null {
  const order = state.orders.get(orderId);
  return order === undefined ? null : view(state, order);
}

export function openOrders(state: EngineState, userId: string, productId?: string): OpenOrderView[] {
  const views: OpenOrderView[] = [];
  for (let order = state.ledger.find(userId)?.ordersHead ?? null; order !== null; order = order.userNext) {
    if (productId === undefined || state.products[order.productIndex]!.spec.id === productId) views.push(view(state, order));
  }
  return views;
}

/** Aggregated levels, best first. */
export function level2(state: EngineState, productId: string, depth: number): BookView<Level2Row> | null {
  return bookView(state, productId, depth, (tickUnits, lotUnits, level, rows) => {
    rows.push([level.price * tickUnits, level.total * lotUnits, level.count]);
  });
}

/** Every resting order, best price first then time. */
export function level3(state: EngineState, productId: string): BookView<Level3Row> | null {
  return bookView(state, productId, Infinity, (tickUnits, lotUnits, level, rows) => {
    for (let o = level.head; o !== null; o = o.next) rows.push([o.price * tickUnits, o.remaining * lotUnits, o.id]);
  });
}

function bookView<Row>(
  state: EngineState,
  productId: string,
  depth: number,
  addRows: (tickUnits: number, lotUnits: number, level: PriceLevel, rows: Row[]) => void,
): BookView<Row> | null {
  const product = state.productById.get(productId);
  if (product === undefined) return null;
  const { tickUnits, lotUnits } = product.spec;
  const rows = (levels: readonly PriceLevel[]): Row[] => {
    const out: Row[] = [];
    for (let i = levels.length - 1, n = 0; i >= 0 && n < depth; i--, n++) addRows(tickUnits, lotUnits, levels[i]!, out);
    return out;
  };
  return { productId, bookSequence: product.bookSequence, bids: rows(product.book.bids.levels), asks: rows(product.book.asks.levels) };
}

function view(state: EngineState, order: Order): OpenOrderView {
  const spec = state.products[order.productIndex]!.spec;
  return {
    orderId: order.id,
    clientOid: order.clientOid,
    userId: order.userId,
    productId: spec.id,
    side: order.side,
    price: order.price * spec.tickUnits,
    size: order.size * spec.lotUnits,
    remainingSize: order.remaining * spec.lotUnits,
    filledSize: order.filled * spec.lotUnits,
    executedValue: order.executedValue,
    fillFees: order.fees,
    postOnly: order.postOnly,
    stp: order.stp,
    timeInForce: order.timeInForce,
    createdAt: order.createdAt,
  };
}
