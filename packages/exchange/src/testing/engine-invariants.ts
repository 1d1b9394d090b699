import type { CommandOutcome } from '@sd/domain/exchange/event';
import type { EngineSnapshot } from '@sd/domain/exchange/snapshot';
import type { ProductCatalog } from '../usecase/core/catalog/product-catalog';

/**
 * Conservation checks on a snapshot; answers the violations (empty when sound):
 * - per currency, the sum of available + hold over all users, fee account included, equals
 *   deposits minus withdrawals;
 * - no balance or order hold is negative or fractional;
 * - each user's hold per currency equals the holds of that user's open orders.
 */
export function checkInvariants(snapshot: EngineSnapshot, catalog: ProductCatalog): string[] {
  const problems: string[] = [];
  const totals = new Map<string, number>();
  const holds = new Map<string, number>();
  for (const account of snapshot.accounts) {
    for (const [field, value] of [['available', account.available], ['hold', account.hold]] as const) {
      if (!Number.isSafeInteger(value) || value < 0) problems.push(`${account.userId} ${account.currency} ${field} is ${value}`);
    }
    totals.set(account.currency, (totals.get(account.currency) ?? 0) + account.available + account.hold);
    holds.set(`${account.userId}/${account.currency}`, account.hold);
  }
  for (const { currency, amount } of snapshot.supply) {
    if ((totals.get(currency) ?? 0) !== amount) problems.push(`${currency}: balances sum to ${totals.get(currency) ?? 0}, supply is ${amount}`);
  }
  const orderHolds = new Map<string, number>();
  for (const product of snapshot.products) {
    const spec = catalog.product(product.productId)!;
    for (const order of product.orders) {
      if (!Number.isSafeInteger(order.hold) || order.hold < 0) problems.push(`order ${order.id} hold is ${order.hold}`);
      if (order.remaining <= 0 || order.remaining + order.filled > order.size) problems.push(`order ${order.id} sizes do not add up`);
      const key = `${order.userId}/${order.side === 'buy' ? spec.quote.id : spec.base.id}`;
      orderHolds.set(key, (orderHolds.get(key) ?? 0) + order.hold);
    }
  }
  for (const [key, hold] of holds) {
    if ((orderHolds.get(key) ?? 0) !== hold) problems.push(`${key}: hold ${hold} but open orders hold ${orderHolds.get(key) ?? 0}`);
  }
  return problems;
}

interface OrderTally {
  size: number;
  funds: number;
  fees: number;
}

/**
 * Checks that both sides of every fill were booked the same: each trade's funds are exactly
 * price × size, and the sizes, values and fees of the match events an order took part in add
 * up to what its done event reports, and a filled order filled its size (less self-trade decrements).
 */
export class FillAudit {
  private readonly tallies = new Map<number, OrderTally>();
  /** Each order's size as its events tell it (received, less change decrements); null by funds. */
  private readonly sizes = new Map<number, number | null>();

  constructor(private readonly catalog: ProductCatalog) {}

  observe(outcome: CommandOutcome): string[] {
    const problems: string[] = [];
    for (const event of outcome.events) {
      if (event.type === 'received') {
        this.sizes.set(event.orderId, event.size);
      } else if (event.type === 'change') {
        const size = this.sizes.get(event.orderId);
        if (size !== undefined && size !== event.oldSize) problems.push(`order ${event.orderId}: change from ${event.oldSize}, its size is ${size}`);
        this.sizes.set(event.orderId, event.newSize);
      } else if (event.type === 'match') {
        if (event.makerOrderId === event.takerOrderId || event.makerUserId === event.takerUserId) {
          problems.push(`trade ${event.tradeId} is a self-trade`);
        }
        // price is quote units per whole base unit and size is in base minor units.
        const scale = 10n ** BigInt(this.catalog.product(event.productId)!.base.scale);
        if (BigInt(event.price) * BigInt(event.size) !== BigInt(event.funds) * scale) {
          problems.push(`trade ${event.tradeId}: price × size ≠ funds ${event.funds}`);
        }
        this.add(event.makerOrderId, event.size, event.funds, event.makerFee);
        this.add(event.takerOrderId, event.size, event.funds, event.takerFee);
      } else if (event.type === 'done') {
        const tally = this.tallies.get(event.orderId) ?? { size: 0, funds: 0, fees: 0 };
        this.tallies.delete(event.orderId);
        const size = this.sizes.get(event.orderId);
        this.sizes.delete(event.orderId);
        // A filled order filled its size, self-trade decrements taken off.
        if (event.reason === 'filled' && event.remainingSize !== null && size !== undefined && size !== null && event.filledSize !== size) {
          problems.push(`order ${event.orderId}: filled ${event.filledSize} of size ${size}`);
        }
        if (tally.size !== event.filledSize || tally.funds !== event.executedValue || tally.fees !== event.fillFees) {
          problems.push(
            `order ${event.orderId}: matches sum to ${tally.size}/${tally.funds}/${tally.fees}, done says ${event.filledSize}/${event.executedValue}/${event.fillFees}`,
          );
        }
      }
    }
    return problems;
  }

  private add(orderId: number, size: number, funds: number, fee: number): void {
    const tally = this.tallies.get(orderId) ?? { size: 0, funds: 0, fees: 0 };
    this.tallies.set(orderId, { size: tally.size + size, funds: tally.funds + funds, fees: tally.fees + fee });
  }
}
