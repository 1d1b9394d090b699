import type { CancelReason } from '@sd/domain/exchange/event';
import type { ProductSpec } from '../catalog/product-catalog';
import type { UserAccount } from '../ledger/ledger';
import { type MatchBuffer, MatchStep } from '../matching/matcher';
import type { Order } from '../matching/order';
import { feeFor, feeIncrement } from '../money/scaled-math';
import type { EngineState, ProductState } from './engine-state';

/**
 * Settlement of what a match recorded: trades move funds between holds and balances, fees
 * go to the fee account, self-trade prevention cancels or shrinks orders, and every live
 * order's hold is cut to what it can still cost. Emits the match, change and done events.
 */
export class Clearing {
  constructor(private readonly state: EngineState) {}

  /**
   * Settles what the match recorded, in order: trades and self-trade cancels or decrements.
   * A decrement takes the lots off the order's size as well as its remaining size.
   */
  settle(product: ProductState, taker: Order, m: MatchBuffer): void {
    for (let i = 0; i < m.length; i++) {
      const maker = m.makers[i] as Order;
      const lots = m.lots[i] as number;
      switch (m.steps[i]) {
        case MatchStep.Fill:
          this.fill(product, maker, taker, lots, m.prices[i] as number);
          break;
        case MatchStep.SelfTradeCancel:
          this.finish(product, maker, 'self_trade');
          break;
        case MatchStep.SelfTradeDecrement:
          maker.size -= lots;
          this.trimHold(product.spec, maker);
          if (this.state.events !== null) this.emitChange(product.spec, maker, lots);
          break;
        case MatchStep.TakerDecrement:
          // Not on the book yet: its hold is trimmed if it rests.
          taker.size -= lots;
          if (this.state.events !== null) this.emitChange(product.spec, taker, lots);
          break;
      }
    }
  }

  /** Clearing of one trade: the buyer pays notional + fee from its hold, the seller its base. */
  private fill(product: ProductState, maker: Order, taker: Order, lots: number, price: number): void {
    const state = this.state;
    const spec = product.spec;
    const ledger = state.ledger;
    const quote = spec.quote.index;
    const base = spec.base.index;
    const notional = lots * price * spec.lotTickUnits;
    const baseAmount = lots * spec.lotUnits;
    const makerFee = feeIncrement(maker.makerNotional, notional, spec.makerFeePpm);
    const takerFee = feeIncrement(taker.takerNotional, notional, spec.takerFeePpm);
    maker.makerNotional += notional;
    taker.takerNotional += notional;
    const takerBuys = taker.side === 'buy';
    const buyer = takerBuys ? taker : maker;
    const seller = takerBuys ? maker : taker;
    const buyerFee = takerBuys ? takerFee : makerFee;
    const sellerFee = takerBuys ? makerFee : takerFee;
    const buyerAccount = ledger.users[buyer.owner] as UserAccount;
    const sellerAccount = ledger.users[seller.owner] as UserAccount;

    buyer.hold -= notional + buyerFee;
    ledger.spendHold(buyerAccount, quote, notional + buyerFee);
    ledger.credit(buyerAccount, base, baseAmount);
    seller.hold -= baseAmount;
    ledger.spendHold(sellerAccount, base, baseAmount);
    ledger.credit(sellerAccount, quote, notional - sellerFee);
    if (makerFee + takerFee > 0) {
      state.feeAccount ??= ledger.open(state.feeAccountId);
      ledger.credit(state.feeAccount, quote, makerFee + takerFee);
    }

    maker.filled += lots;
    maker.executedValue += notional;
    maker.fees += makerFee;
    taker.filled += lots;
    taker.executedValue += notional;
    taker.fees += takerFee;
    state.tradeId++;
    if (state.events !== null) {
      state.events.push({
        type: 'match',
        tradeId: state.tradeId,
        productId: spec.id,
        side: maker.side,
        price: price * spec.tickUnits,
        size: baseAmount,
        funds: notional,
        makerOrderId: maker.id,
        takerOrderId: taker.id,
        makerUserId: maker.userId,
        takerUserId: taker.userId,
        makerFee,
        takerFee,
      });
    }
    if (maker.remaining === 0) this.finish(product, maker, null);
    else if (maker.side === 'buy') this.trimHold(spec, maker);
  }

  /**
   * Cuts a live limit order's hold down to what its remaining size can still cost: the base
   * it sells, or `buyHold` of the remaining lots. Price improvement, a maker fee below the
   * held rate and self-trade decrements are returned this way as soon as they happen.
   */
  trimHold(spec: ProductSpec, order: Order): void {
    const needed = order.side === 'sell' ? order.remaining * spec.lotUnits : buyHold(spec, order.price, order.remaining);
    if (order.hold <= needed) return;
    const release = order.hold - needed;
    order.hold = needed;
    const account = this.state.ledger.users[order.owner] as UserAccount;
    this.state.ledger.release(account, order.side === 'buy' ? spec.quote.index : spec.base.index, release);
  }

  /** Ends an order (already off the book): returns its unspent hold. `reason` null = filled. */
  finish(product: ProductState, order: Order, reason: CancelReason | null): void {
    const { ledger, orders, events } = this.state;
    const spec = product.spec;
    const account = ledger.users[order.owner] as UserAccount;
    if (order.hold > 0) {
      ledger.release(account, order.side === 'buy' ? spec.quote.index : spec.base.index, order.hold);
      order.hold = 0;
    }
    if (orders.get(order.id) === order) {
      orders.delete(order.id);
      account.unlink(order);
    }
    if (events !== null) {
      const byFunds = order.type === 'market' && order.size === 0;
      events.push({
        type: 'done',
        orderId: order.id,
        userId: order.userId,
        productId: spec.id,
        side: order.side,
        orderType: order.type,
        price: order.type === 'limit' ? order.price * spec.tickUnits : null,
        remainingSize: byFunds ? null : order.remaining * spec.lotUnits,
        filledSize: order.filled * spec.lotUnits,
        executedValue: order.executedValue,
        fillFees: order.fees,
        reason: reason === null ? 'filled' : 'canceled',
        cancelReason: reason,
      });
    }
  }

  /** The order's size went down by `lots` (self-trade prevention). */
  private emitChange(spec: ProductSpec, order: Order, lots: number): void {
    this.state.events!.push({
      type: 'change',
      orderId: order.id,
      userId: order.userId,
      productId: spec.id,
      side: order.side,
      price: order.price * spec.tickUnits,
      oldSize: (order.size + lots) * spec.lotUnits,
      newSize: order.size * spec.lotUnits,
      reason: 'self_trade',
    });
  }
}

/**
 * Quote held by a limit buy for `lots`: notional at the limit price plus the fee at the
 * larger of the two rates, plus one minor unit when both rates are positive, because an
 * order filled partly as taker and partly as maker rounds each role up separately. Fills
 * happen at the limit or better and ceil(x + y) - ceil(x) <= ceil(y), so whatever the order
 * already paid, its remaining lots can never cost more than this.
 */
export function buyHold(spec: ProductSpec, price: number, lots: number): number {
  const notional = price * lots * spec.lotTickUnits;
  const margin = spec.makerFeePpm > 0 && spec.takerFeePpm > 0 ? 1 : 0;
  return notional + feeFor(notional, Math.max(spec.makerFeePpm, spec.takerFeePpm)) + margin;
}
