import type { ExchangeCommand, OrderSide, OrderType, SelfTradePrevention, TimeInForce } from './command';
import type { Product } from './product';
import type { Rejection } from './rejection';

/**
 * What the engine emits while applying one command. Amounts are integers in minor units so
 * the hot path never formats a decimal: prices and quote amounts (funds, fees) in minor
 * units of the quote currency per whole base unit, sizes in minor units of the base
 * currency, balances in minor units of their currency. `DecimalEvent` is the same event with
 * decimal strings and string ids, as the API and push channels show it.
 */
export interface OrderReceivedEvent {
  type: 'received';
  orderId: number;
  clientOid: string | null;
  userId: string;
  productId: string;
  side: OrderSide;
  orderType: OrderType;
  price: number | null;
  size: number | null;
  funds: number | null;
  timeInForce: TimeInForce;
  postOnly: boolean;
  stp: SelfTradePrevention;
}

/** The order rests on the book with `remainingSize` after its immediate matches. */
export interface OrderOpenEvent {
  type: 'open';
  orderId: number;
  userId: string;
  productId: string;
  side: OrderSide;
  price: number;
  remainingSize: number;
}

/** One trade. `side` is the maker's side; fees are in quote currency. */
export interface MatchEvent {
  type: 'match';
  tradeId: number;
  productId: string;
  side: OrderSide;
  price: number;
  size: number;
  /** price × size in quote currency. */
  funds: number;
  makerOrderId: number;
  takerOrderId: number;
  makerUserId: string;
  takerUserId: string;
  makerFee: number;
  takerFee: number;
}

/** A resting order shrank without trading (self-trade prevention, decrement and cancel). */
export interface OrderChangeEvent {
  type: 'change';
  orderId: number;
  userId: string;
  productId: string;
  side: OrderSide;
  price: number;
  oldSize: number;
  newSize: number;
  reason: 'self_trade';
}

/** `delisted`: the product was delisted; `fee_change`: a fee raise its hold could not cover. */
export type CancelReason = 'user' | 'ioc' | 'self_trade' | 'no_liquidity' | 'delisted' | 'fee_change';

export interface OrderDoneEvent {
  type: 'done';
  orderId: number;
  userId: string;
  productId: string;
  side: OrderSide;
  orderType: OrderType;
  price: number | null;
  /** Size left unfilled; null for a market buy by funds. */
  remainingSize: number | null;
  filledSize: number;
  executedValue: number;
  fillFees: number;
  reason: 'filled' | 'canceled';
  cancelReason: CancelReason | null;
}

/** A balance after the command changed it. */
export interface BalanceEvent {
  type: 'balance';
  userId: string;
  currency: string;
  available: number;
  hold: number;
}

/** Level-2 changes of one product: `[side, price, new total size]`, size `0` removes the level. */
export interface BookEvent {
  type: 'l2update';
  productId: string;
  /** Per product, +1 for every command that changed the book, so gaps are detectable. */
  bookSequence: number;
  changes: Array<[OrderSide, number, number]>;
}

/** A product was listed or changed (fees, status): the whole product as it is now. */
export interface ProductEvent {
  type: 'product';
  product: Product;
}

export type ExchangeEvent =
  | ProductEvent
  | OrderReceivedEvent
  | OrderOpenEvent
  | MatchEvent
  | OrderChangeEvent
  | OrderDoneEvent
  | BalanceEvent
  | BookEvent;

/** Event fields that hold an amount, and so become decimal strings in a DecimalEvent. */
export type AmountField =
  | 'price'
  | 'size'
  | 'funds'
  | 'remainingSize'
  | 'oldSize'
  | 'newSize'
  | 'filledSize'
  | 'executedValue'
  | 'fillFees'
  | 'makerFee'
  | 'takerFee'
  | 'available'
  | 'hold';
type IdField = 'orderId' | 'tradeId' | 'makerOrderId' | 'takerOrderId';

type Decimal<E> = {
  [K in keyof E]: K extends AmountField | IdField
    ? null extends E[K]
      ? string | null
      : string
    : K extends 'changes'
      ? Array<[OrderSide, string, string]>
      : E[K];
};

/** An event as clients see it: amounts as decimal strings at the currency's scale, ids as strings. */
export type DecimalEvent = ToDecimal<ExchangeEvent>;
type ToDecimal<E> = E extends ExchangeEvent ? Decimal<E> : never;

/** The result of one sequenced command: a rejection (and no events) or the events it caused. */
export interface CommandOutcome {
  sequence: number;
  timestamp: number;
  command: ExchangeCommand;
  /** Set for accepted place commands: the sequence number of the command. */
  orderId: number | null;
  rejection: Rejection | null;
  events: ExchangeEvent[];
}
