import type { PlaceOrderCommand } from '@sd/domain/exchange/command';
import type { RejectionCode } from '@sd/domain/exchange/rejection';
import type { ProductSpec } from '../catalog/product-catalog';
import { safeMul } from '../money/scaled-math';

/** Integer checks of a place command against its product; no state is read. */
export function validateOrder(cmd: PlaceOrderCommand, spec: ProductSpec): RejectionCode | null {
  if (cmd.orderType === 'limit') {
    if (!Number.isSafeInteger(cmd.price) || cmd.price < 1 || cmd.price > spec.maxPrice) return 'INVALID_PRICE';
    if (!Number.isSafeInteger(cmd.size) || cmd.size < 1 || cmd.size > spec.maxSize) return 'INVALID_SIZE';
    if (cmd.funds !== 0 || (cmd.postOnly && cmd.timeInForce !== 'GTC')) return 'INVALID_ARGUMENT';
    if (cmd.size < spec.minSize) return 'SIZE_TOO_SMALL';
    const notional = safeMul(safeMul(cmd.price, cmd.size), spec.lotTickUnits);
    if (notional < 0 || notional > spec.maxNotional) return 'ORDER_TOO_LARGE';
    if (notional < spec.minFunds) return 'FUNDS_TOO_SMALL';
    return null;
  }
  if (cmd.price !== 0 || cmd.postOnly) return 'INVALID_ARGUMENT';
  if (cmd.side === 'buy' && cmd.funds !== 0) {
    if (cmd.size !== 0) return 'INVALID_ARGUMENT';
    if (!isPositiveAmount(cmd.funds)) return 'INVALID_FUNDS';
    if (cmd.funds < spec.minFunds) return 'FUNDS_TOO_SMALL';
    if (cmd.funds > spec.maxNotional) return 'ORDER_TOO_LARGE';
    return null;
  }
  if (cmd.funds !== 0) return 'INVALID_ARGUMENT';
  if (!Number.isSafeInteger(cmd.size) || cmd.size < 1 || cmd.size > spec.maxSize) return 'INVALID_SIZE';
  if (cmd.size < spec.minSize) return 'SIZE_TOO_SMALL';
  return null;
}

export function isPositiveAmount(amount: number): boolean {
  return Number.isSafeInteger(amount) && amount > 0;
}

/** What the product's status lets through (Coinbase's market statuses); cancels are always accepted. */
export function statusRefuses(cmd: PlaceOrderCommand, spec: ProductSpec): RejectionCode | null {
  switch (spec.status) {
    case 'online':
      return null;
    case 'limit_only':
      return cmd.orderType === 'market' ? 'PRODUCT_LIMIT_ONLY' : null;
    case 'post_only':
      return cmd.orderType === 'limit' && cmd.postOnly ? null : 'PRODUCT_POST_ONLY';
    case 'cancel_only':
    case 'delisted':
      return 'PRODUCT_NOT_TRADING';
  }
}
