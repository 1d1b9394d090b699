import type { OrderSide, OrderType, PlaceOrderCommand, SelfTradePrevention, TimeInForce } from '@sd/domain/exchange/command';
import type { CommandOutcome } from '@sd/domain/exchange/event';
import { formatPrice, formatSize, type ProductCatalog } from '../core/catalog/product-catalog';
import { formatUnits } from '../core/money/decimal-format';
import type { OpenOrderView } from '../core/engine/exchange-engine';

/** An order as the API shows it: decimal strings, string ids, epoch-ms times. */
export interface OrderSummary {
  id: string;
  clientOid: string | null;
  userId: string;
  productId: string;
  side: OrderSide;
  type: OrderType;
  price: string | null;
  size: string | null;
  funds: string | null;
  timeInForce: TimeInForce;
  postOnly: boolean;
  stp: SelfTradePrevention;
  status: 'open' | 'done';
  doneReason: 'filled' | 'canceled' | null;
  filledSize: string;
  executedValue: string;
  fillFees: string;
  createdAt: number;
  doneAt: number | null;
}

/** The order an accepted place command created, as its own outcome leaves it. */
export function summarizePlaced(outcome: CommandOutcome, catalog: ProductCatalog): OrderSummary {
  const command = outcome.command as PlaceOrderCommand;
  const product = catalog.product(command.productId);
  if (product === undefined || outcome.orderId === null) throw new Error('not an accepted place command');
  const orderId = outcome.orderId;
  let filled = 0;
  let value = 0;
  let fees = 0;
  let done: { reason: 'filled' | 'canceled' } | null = null;
  for (const event of outcome.events) {
    if (event.type === 'match' && event.takerOrderId === orderId) {
      filled += event.size;
      value += event.funds;
      fees += event.takerFee;
    } else if (event.type === 'done' && event.orderId === orderId) {
      done = { reason: event.reason };
    }
  }
  const quoteScale = product.quote.scale;
  return {
    id: String(orderId),
    clientOid: command.clientOid,
    userId: command.userId,
    productId: command.productId,
    side: command.side,
    type: command.orderType,
    price: command.orderType === 'limit' ? formatPrice(product, command.price) : null,
    size: command.size > 0 ? formatSize(product, command.size) : null,
    funds: command.funds > 0 ? formatUnits(command.funds, quoteScale) : null,
    timeInForce: command.timeInForce,
    postOnly: command.postOnly,
    stp: command.stp,
    status: done === null ? 'open' : 'done',
    doneReason: done?.reason ?? null,
    filledSize: formatUnits(filled, product.base.scale),
    executedValue: formatUnits(value, quoteScale),
    fillFees: formatUnits(fees, quoteScale),
    createdAt: outcome.timestamp,
    doneAt: done === null ? null : outcome.timestamp,
  };
}

/** A resting order from the engine's book. */
export function summarizeOpen(view: OpenOrderView): OrderSummary {
  return {
    id: view.orderId,
    clientOid: view.clientOid,
    userId: view.userId,
    productId: view.productId,
    side: view.side,
    type: 'limit',
    price: view.price,
    size: view.size,
    funds: null,
    timeInForce: view.timeInForce,
    postOnly: view.postOnly,
    stp: view.stp,
    status: 'open',
    doneReason: null,
    filledSize: view.filledSize,
    executedValue: view.executedValue,
    fillFees: view.fillFees,
    createdAt: view.createdAt,
    doneAt: null,
  };
}
