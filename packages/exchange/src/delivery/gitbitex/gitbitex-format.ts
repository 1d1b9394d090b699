import Big from 'big.js';
import type { Transfer } from '@sd/domain/exchange/account-ledger';
import type { Trade } from '@sd/domain/exchange/market-data';
import type { OrderView } from '@sd/domain/exchange/order-history';
import type { Product } from '@sd/domain/exchange/product';
import type { DecimalBalance } from '../../usecase/core/money/event-format';
import type { CandleRow } from '../../usecase/read/quotation/quotation-queries';
import { isoTime } from '../http/api-format';

/*
 * The shapes gitbitex-web reads: camelCase, amounts as decimal strings (the page Number()s
 * them), candles as numbers. See the contract in shared/research/gitbitex-web-contract.md.
 */

/**
 * A product with the scales the page formats with. The page takes a display precision from
 * the length of `baseMinSize` and `quoteIncrement` (`length - 2`), so both are written with
 * the scale's decimals; `quoteScale` is at least 1, since the book keys its levels by the
 * price scaled to it and integer-like keys would sort bids worst first.
 */
export function productJson(product: Product) {
  const baseScale = decimals(product.sizeIncrement);
  const quoteScale = Math.max(1, decimals(product.priceIncrement));
  return {
    id: product.id,
    displayName: product.id.replace('-', '/'),
    baseCurrency: product.baseCurrency,
    quoteCurrency: product.quoteCurrency,
    baseMinSize: new Big(product.minSize).toFixed(baseScale),
    baseIncrement: product.sizeIncrement,
    quoteIncrement: new Big(product.priceIncrement).toFixed(quoteScale),
    quoteMinSize: product.minFunds,
    quoteMaxSize: product.maxNotional,
    baseScale,
    quoteScale,
    makerFeeRate: product.makerFeeRate,
    takerFeeRate: product.takerFeeRate,
    status: product.status,
  };
}

export type GitbitexOrderStatus = 'open' | 'filled' | 'cancelled';

/**
 * An order, for the order lists and the `order` push alike. Its own type is `orderType`: the
 * page dispatches pushes on `type`, which is the message's. A market order shows price 0
 * (the page writes "MARKET"); a market buy by funds, which has no size, shows what it bought.
 */
export function orderJson(order: OrderView) {
  return {
    id: String(order.id),
    productId: order.productId,
    side: order.side,
    orderType: order.type,
    price: order.price ?? '0',
    size: order.size ?? order.filledSize,
    funds: order.funds,
    filledSize: order.filledSize,
    executedValue: order.executedValue,
    fillFees: order.fillFees,
    status: orderStatus(order),
    doneReason: order.doneReason,
    createdAt: isoTime(order.createdAt),
    doneAt: order.doneAt === null ? null : isoTime(order.doneAt),
  };
}

/** `open` shows a cancel link; anything else greys the row. */
export function orderStatus(order: Pick<OrderView, 'status' | 'doneReason'>): GitbitexOrderStatus {
  if (order.status === 'open') return 'open';
  return order.doneReason === 'filled' ? 'filled' : 'cancelled';
}

export function accountJson(balance: DecimalBalance) {
  return { currency: balance.currency, available: balance.available, hold: balance.hold, balance: balance.balance };
}

/** A public trade; `side` is the maker's, as Coinbase has it. */
/** A wallet page row: the exchange simulates the chain, so a transfer is complete, feeless and valued in its own currency. */
export function walletTransactionJson(transfer: Transfer) {
  const sent = transfer.type === 'withdraw' || transfer.type === 'internal_withdraw';
  return {
    id: String(transfer.id),
    type: sent ? ('send' as const) : ('received' as const),
    amount: transfer.amount,
    currency: transfer.currency,
    createdAt: isoTime(transfer.createdAt),
    status: 'completed' as const,
    price: '1',
    nativeAmount: transfer.amount,
    nativeCurrency: transfer.currency,
    toAddress: transfer.cryptoAddress,
    network: { confirmations: 1, feeAmount: '0', resourceUrl: null },
  };
}

export function tradeJson(trade: Trade) {
  return { time: isoTime(trade.time), tradeId: String(trade.tradeId), price: trade.price, size: trade.size, side: trade.side };
}

/** `[time, low, high, open, close, volume]`, all numbers: the chart calls `volume.toFixed`. */
export function candleJson(row: CandleRow): number[] {
  return row.map(Number);
}

/**
 * A decimal string without trailing zeros (`30003.00` → `30003`, `29954.50` → `29954.5`):
 * the page keys book levels by `Number(price)` and applies updates by the raw string, so a
 * padded price would leave a ghost level behind.
 */
export function canonicalDecimal(decimal: string): string {
  return decimal.includes('.') ? decimal.replace(/\.?0+$/, '') : decimal;
}

/** Rounding noise of a float, relative to its value: doubles carry ~1e-16 per operation. */
const FLOAT_NOISE = 1e-9;

/**
 * An amount the page sent as a JSON number, as the decimal string the request parser checks
 * against increments of `scale` decimals. A float within rounding noise of such a decimal
 * is that decimal (`2.3400000001` at 2 decimals is `2.34`); any other number keeps all its
 * digits, so the parser refuses an amount that is really off its increment. Strings pass
 * as they are; anything else is left for the parser to refuse.
 */
export function decimalOf(value: unknown, scale: number): unknown {
  if (typeof value !== 'number' || !Number.isFinite(value)) return value;
  const exact = new Big(value);
  const rounded = exact.round(scale, Big.roundHalfUp);
  return exact.minus(rounded).abs().lte(exact.abs().times(FLOAT_NOISE)) ? rounded.toFixed(scale) : exact.toFixed();
}

/** Decimal places of an increment (`0.01` → 2, `5` → 0). */
export function decimals(increment: string): number {
  const canonical = canonicalDecimal(increment);
  const dot = canonical.indexOf('.');
  return dot < 0 ? 0 : canonical.length - dot - 1;
}
