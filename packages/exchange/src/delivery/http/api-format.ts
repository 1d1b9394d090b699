import type { Trade } from '@sd/domain/exchange/market-data';
import type { FillRecord, OrderView } from '@sd/domain/exchange/order-history';
import type { Product } from '@sd/domain/exchange/product';
import type { DecimalBalance } from '../../usecase/core/money/event-format';

/** Coinbase-Exchange shapes: snake_case, decimal strings, ISO-8601 times. */
export function productJson(product: Product) {
  return {
    id: product.id,
    base_currency: product.baseCurrency,
    quote_currency: product.quoteCurrency,
    quote_increment: product.priceIncrement,
    base_increment: product.sizeIncrement,
    base_min_size: product.minSize,
    min_market_funds: product.minFunds,
    max_market_funds: product.maxNotional,
    display_name: product.id.replace('-', '/'),
    status: product.status,
    maker_fee_rate: product.makerFeeRate,
    taker_fee_rate: product.takerFeeRate,
  };
}

export function orderJson(order: OrderView) {
  return {
    id: String(order.id),
    client_oid: order.clientOid,
    product_id: order.productId,
    side: order.side,
    type: order.type,
    price: order.price,
    size: order.size,
    funds: order.funds,
    time_in_force: order.timeInForce,
    post_only: order.postOnly,
    stp: order.stp,
    status: order.status,
    done_reason: order.doneReason,
    filled_size: order.filledSize,
    executed_value: order.executedValue,
    fill_fees: order.fillFees,
    created_at: isoTime(order.createdAt),
    done_at: order.doneAt === null ? null : isoTime(order.doneAt),
  };
}

export function accountJson(balance: DecimalBalance) {
  return {
    id: balance.currency,
    currency: balance.currency,
    balance: balance.balance,
    available: balance.available,
    hold: balance.hold,
  };
}

export function tradeJson(trade: Trade) {
  return { time: isoTime(trade.time), trade_id: String(trade.tradeId), price: trade.price, size: trade.size, side: trade.side };
}

export function fillJson(fill: FillRecord) {
  return {
    trade_id: String(fill.tradeId),
    product_id: fill.productId,
    order_id: String(fill.orderId),
    price: fill.price,
    size: fill.size,
    liquidity: fill.liquidity,
    fee: fill.fee,
    side: fill.side,
    created_at: isoTime(fill.createdAt),
  };
}

export const isoTime = (epochMs: number): string => new Date(epochMs).toISOString();
