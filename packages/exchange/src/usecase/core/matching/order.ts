import type { OrderSide, OrderType, SelfTradePrevention, TimeInForce } from '@sd/domain/exchange/command';
import type { PriceLevel } from './order-book';

/**
 * A live order. It is its own node in two intrusive doubly linked lists, its price level's
 * FIFO and its owner's open orders, so removing it from either is O(1) with no allocation.
 * Every field is set in the constructor so all orders share one hidden class.
 */
export class Order {
  prev: Order | null = null;
  next: Order | null = null;
  level: PriceLevel | null = null;
  userPrev: Order | null = null;
  userNext: Order | null = null;
  /** Minor units held for this order: quote for buys, base for sells. */
  hold = 0;
  /** Market buy by funds: notional it may still trade, fees already set aside. */
  notionalLeft = 0;
  filled = 0;
  executedValue = 0;
  fees = 0;
  makerNotional = 0;
  takerNotional = 0;

  constructor(
    readonly id: number,
    /** Owner's index in the ledger; self-trade prevention compares it. */
    readonly owner: number,
    readonly userId: string,
    readonly productIndex: number,
    readonly side: OrderSide,
    readonly type: OrderType,
    /** Ticks; 0 for market orders. */
    readonly price: number,
    /**
     * Lots: as ordered, less what self-trade prevention (`dc`) took off, as Coinbase shows it,
     * so a filled order's filled size is its size. 0 for a market buy by funds.
     */
    public size: number,
    public remaining: number,
    readonly timeInForce: TimeInForce,
    readonly postOnly: boolean,
    readonly stp: SelfTradePrevention,
    readonly clientOid: string | null,
    readonly createdAt: number,
  ) {}
}
