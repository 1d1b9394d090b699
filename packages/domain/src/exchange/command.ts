/**
 * Requests carry decimal strings as the API receives them; commands carry the same intent as
 * scaled integers (ticks, lots, minor units) once the request passed the product's increments.
 * Only commands are sequenced, journaled and applied by the engine.
 */
import type { Product, ProductStatus } from './product';

export type OrderSide = 'buy' | 'sell';
export type OrderType = 'limit' | 'market';
export type TimeInForce = 'GTC' | 'IOC' | 'FOK';
/**
 * Self-trade prevention, decided by the incoming order: decrement and cancel (`dc`, the smaller
 * order is canceled and the larger one shrinks by its size), cancel oldest (`co`), cancel newest
 * (`cn`), cancel both (`cb`).
 */
export type SelfTradePrevention = 'dc' | 'co' | 'cn' | 'cb';

export interface PlaceOrderRequest {
  type: 'place';
  userId: string;
  productId: string;
  side: OrderSide;
  orderType: OrderType;
  /** Limit orders only. */
  price?: string;
  /** Limit orders and market orders by size. */
  size?: string;
  /** Market buys by funds: quote to spend, taker fee included. */
  funds?: string;
  /** Default GTC; market orders are immediate by nature and ignore it. */
  timeInForce?: TimeInForce;
  postOnly?: boolean;
  /** Default `dc`. */
  stp?: SelfTradePrevention;
  clientOid?: string;
}

export interface CancelOrderRequest {
  type: 'cancel';
  userId: string;
  orderId: string;
}

export interface CancelByClientOidRequest {
  type: 'cancel_client_oid';
  userId: string;
  clientOid: string;
}

export interface CancelAllRequest {
  type: 'cancel_all';
  userId: string;
  productId?: string;
}

export interface DepositRequest {
  type: 'deposit';
  userId: string;
  currency: string;
  amount: string;
}

export interface WithdrawRequest {
  type: 'withdraw';
  userId: string;
  currency: string;
  amount: string;
  /** Where the funds go, as the client names it (kept in the transfer history; the exchange simulates the chain). */
  cryptoAddress?: string;
}

export interface TransferRequest {
  type: 'transfer';
  fromUserId: string;
  toUserId: string;
  currency: string;
  amount: string;
}

/** Adds a product to the market (an admin's request). Its currencies must exist. */
export interface ListProductRequest {
  type: 'list_product';
  product: Product;
}

/** New fee rates of a product, decimal fractions (`0.001` is 0.1 %); they apply to fills from now on. */
export interface SetProductFeesRequest {
  type: 'set_product_fees';
  productId: string;
  makerFeeRate: string;
  takerFeeRate: string;
}

export interface SetProductStatusRequest {
  type: 'set_product_status';
  productId: string;
  status: ProductStatus;
}

/** What an admin changes of the market; each is a command, sequenced and journaled like an order. */
export type MarketRequest = ListProductRequest | SetProductFeesRequest | SetProductStatusRequest;

export type ExchangeRequest =
  | PlaceOrderRequest
  | CancelOrderRequest
  | CancelByClientOidRequest
  | CancelAllRequest
  | DepositRequest
  | WithdrawRequest
  | TransferRequest
  | MarketRequest;

export interface PlaceOrderCommand {
  type: 'place';
  userId: string;
  productId: string;
  side: OrderSide;
  orderType: OrderType;
  /** Limit price in ticks; 0 for market orders. */
  price: number;
  /** Size in lots; 0 for a market buy by funds. */
  size: number;
  /** Quote minor units for a market buy by funds, else 0. */
  funds: number;
  timeInForce: TimeInForce;
  postOnly: boolean;
  stp: SelfTradePrevention;
  clientOid: string | null;
}

export interface CancelOrderCommand {
  type: 'cancel';
  userId: string;
  orderId: number;
}

export interface CancelByClientOidCommand {
  type: 'cancel_client_oid';
  userId: string;
  clientOid: string;
}

export interface CancelAllCommand {
  type: 'cancel_all';
  userId: string;
  productId: string | null;
}

/** Amounts are minor units of `currency`. */
export interface DepositCommand {
  type: 'deposit';
  userId: string;
  currency: string;
  amount: number;
}

export interface WithdrawCommand {
  type: 'withdraw';
  userId: string;
  currency: string;
  amount: number;
  cryptoAddress?: string;
}

export interface TransferCommand {
  type: 'transfer';
  fromUserId: string;
  toUserId: string;
  currency: string;
  amount: number;
}

/** Market changes carry decimal strings: the engine compiles them into its catalog's integers. */
export type ListProductCommand = ListProductRequest;
export type SetProductFeesCommand = SetProductFeesRequest;
export type SetProductStatusCommand = SetProductStatusRequest;

export type ExchangeCommand =
  | PlaceOrderCommand
  | CancelOrderCommand
  | CancelByClientOidCommand
  | CancelAllCommand
  | DepositCommand
  | WithdrawCommand
  | TransferCommand
  | ListProductCommand
  | SetProductFeesCommand
  | SetProductStatusCommand;

/** A command with its place in the global order: the unit of the journal and of replay. */
export interface SequencedCommand {
  sequence: number;
  /** Epoch milliseconds given by the sequencer; the engine never reads a clock. */
  timestamp: number;
  command: ExchangeCommand;
}
