import type { Hold, LedgerEntry, Transfer } from '@sd/domain/exchange/account-ledger';
import type { Trade } from '@sd/domain/exchange/market-data';
import type { FillRecord, OrderView } from '@sd/domain/exchange/order-history';
import type { Currency, Product } from '@sd/domain/exchange/product';
import { formatUnits } from '../../usecase/core/money/decimal';
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

/** A currency as Coinbase lists it; amounts are whole multiples of its minor unit. */
export function currencyJson(currency: Currency, sortOrder: number) {
  const unit = formatUnits(1, currency.scale);
  return {
    id: currency.id,
    name: currency.id,
    min_size: unit,
    status: 'online' as const,
    message: '',
    max_precision: unit,
    convertible_to: [],
    details: { type: 'crypto' as const, symbol: null, sort_order: sortOrder, push_payment_methods: [] },
    supported_networks: [],
    display_name: currency.id,
  };
}

export function ledgerEntryJson(entry: LedgerEntry) {
  const details =
    entry.type === 'transfer'
      ? { transfer_id: String(entry.transferId), transfer_type: entry.transferType! }
      : { order_id: String(entry.orderId), trade_id: String(entry.tradeId), product_id: entry.productId! };
  return { id: String(entry.id), created_at: isoTime(entry.createdAt), amount: entry.amount, balance: entry.balance, type: entry.type, details };
}

export function holdJson(hold: Hold) {
  const id = String(hold.orderId);
  return { id, account_id: hold.currency, created_at: isoTime(hold.createdAt), updated_at: isoTime(hold.updatedAt), amount: hold.amount, type: 'order' as const, ref: id };
}

/** Settled when applied: created, processed and completed at once. */
export function transferJson(transfer: Transfer) {
  const at = isoTime(transfer.createdAt);
  return {
    id: String(transfer.id),
    type: transfer.type,
    created_at: at,
    completed_at: at,
    canceled_at: null,
    processed_at: at,
    account_id: transfer.currency,
    user_id: transfer.userId,
    user_nonce: null,
    amount: transfer.amount,
    currency: transfer.currency,
    details: transfer.cryptoAddress === null ? {} : { crypto_address: transfer.cryptoAddress },
  };
}

/** No fee: the exchange simulates the chain. */
export function withdrawalJson(transfer: Transfer) {
  const fee = formatUnits(0, transfer.amount.split('.')[1]?.length ?? 0);
  return { id: String(transfer.id), amount: transfer.amount, currency: transfer.currency, fee, subtotal: transfer.amount };
}

/**
 * Coinbase's paging headers on a page, newest first: `CB-BEFORE` is the first item's cursor
 * (ask `before` it for newer items), `CB-AFTER` the last one's (ask `after` it for older).
 */
export function pageHeaders<T>(headers: Record<string, string>, page: readonly T[], cursorOf: (item: T) => number | string): void {
  if (page.length === 0) return;
  headers['cb-before'] = String(cursorOf(page[0]!));
  headers['cb-after'] = String(cursorOf(page[page.length - 1]!));
}
