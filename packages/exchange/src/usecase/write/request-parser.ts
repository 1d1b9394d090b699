import type {
  ExchangeCommand,
  ExchangeRequest,
  OrderSide,
  OrderType,
  PlaceOrderRequest,
  SelfTradePrevention,
  TimeInForce,
} from '@sd/domain/exchange/command';
import { REJECTIONS, type Rejection, type RejectionCode } from '@sd/domain/exchange/rejection';
import { PRODUCT_STATUSES, type Product } from '@sd/domain/exchange/product';
import type { ProductCatalog } from '../core/catalog/product-catalog';
import { parseSteps } from '../core/money/decimal';
import { MAX_SAFE } from '../core/money/scaled-math';

export type ParseResult = { command: ExchangeCommand; rejection: null } | { command: null; rejection: Rejection };

const ORDER_ID = /^[1-9]\d{0,15}$/;
const SIDES: readonly OrderSide[] = ['buy', 'sell'];
const ORDER_TYPES: readonly OrderType[] = ['limit', 'market'];
const TIME_IN_FORCE: readonly TimeInForce[] = ['GTC', 'IOC', 'FOK'];
const STP_MODES: readonly SelfTradePrevention[] = ['dc', 'co', 'cn', 'cb'];
const MAX_ID_LENGTH = 128;

/**
 * The edge between decimal strings and the engine's scaled integers: checks the shape of a
 * request and that every amount is an exact multiple of its increment (big.js, no float),
 * then builds the command the sequencer journals. Stateless: limits that depend on balances
 * or the book are the engine's.
 */
export class RequestParser {
  constructor(private readonly catalog: ProductCatalog) {}

  parse(request: ExchangeRequest): ParseResult {
    const result = this.toCommand(request);
    if (typeof result === 'string') return { command: null, rejection: { code: result, message: REJECTIONS[result].message } };
    return 'code' in result ? { command: null, rejection: result } : { command: result, rejection: null };
  }

  private toCommand(request: ExchangeRequest): ExchangeCommand | RejectionCode | Rejection {
    switch (request.type) {
      case 'place':
        return this.place(request);
      case 'cancel':
        if (!isId(request.userId)) return 'INVALID_ARGUMENT';
        // An id the engine can never have issued is simply not found.
        if (typeof request.orderId !== 'string' || !ORDER_ID.test(request.orderId) || Number(request.orderId) > MAX_SAFE) {
          return 'ORDER_NOT_FOUND';
        }
        return { type: 'cancel', userId: request.userId, orderId: Number(request.orderId) };
      case 'cancel_client_oid':
        if (!isId(request.userId) || !isId(request.clientOid)) return 'INVALID_ARGUMENT';
        return { type: 'cancel_client_oid', userId: request.userId, clientOid: request.clientOid };
      case 'cancel_all':
        if (!isId(request.userId)) return 'INVALID_ARGUMENT';
        if (request.productId !== undefined && this.catalog.product(request.productId) === undefined) return 'UNKNOWN_PRODUCT';
        return { type: 'cancel_all', userId: request.userId, productId: request.productId ?? null };
      case 'deposit': {
        if (!isId(request.userId)) return 'INVALID_ARGUMENT';
        const amount = this.amount(request.currency, request.amount);
        if (typeof amount === 'string') return amount;
        return { type: 'deposit', userId: request.userId, currency: request.currency, amount };
      }
      case 'withdraw': {
        const { cryptoAddress } = request;
        if (!isId(request.userId) || (cryptoAddress !== undefined && !isAddress(cryptoAddress))) return 'INVALID_ARGUMENT';
        const amount = this.amount(request.currency, request.amount);
        if (typeof amount === 'string') return amount;
        return { type: 'withdraw', userId: request.userId, currency: request.currency, amount, ...(cryptoAddress !== undefined && { cryptoAddress }) };
      }
      case 'transfer': {
        if (!isId(request.fromUserId) || !isId(request.toUserId) || request.fromUserId === request.toUserId) return 'INVALID_ARGUMENT';
        const amount = this.amount(request.currency, request.amount);
        if (typeof amount === 'string') return amount;
        return { type: 'transfer', fromUserId: request.fromUserId, toUserId: request.toUserId, currency: request.currency, amount };
      }
      case 'list_product':
        return this.listProduct(request.product);
      case 'set_product_fees': {
        const product = this.catalog.product(request.productId);
        if (product === undefined) return 'UNKNOWN_PRODUCT';
        const { makerFeeRate, takerFeeRate } = request;
        const problem = this.catalog.problemUpdating({ ...product.source, makerFeeRate, takerFeeRate });
        if (problem !== null) return { code: 'INVALID_PRODUCT', message: problem };
        return { type: 'set_product_fees', productId: product.id, makerFeeRate, takerFeeRate };
      }
      case 'set_product_status': {
        const product = this.catalog.product(request.productId);
        if (product === undefined) return 'UNKNOWN_PRODUCT';
        if (!PRODUCT_STATUSES.includes(request.status)) return { code: 'INVALID_ARGUMENT', message: `status must be one of ${PRODUCT_STATUSES.join(', ')}` };
        return { type: 'set_product_status', productId: product.id, status: request.status };
      }
      default:
        return 'INVALID_ARGUMENT';
    }
  }

  /** Checked against the catalog as the engine will check it, so a refusal names its reason. */
  private listProduct(product: Product): ExchangeCommand | RejectionCode | Rejection {
    if (typeof product !== 'object' || product === null) return 'INVALID_ARGUMENT';
    if (this.catalog.product(product.id) !== undefined) return 'PRODUCT_EXISTS';
    // Only the product's own fields, so the command journals exactly what was checked.
    const { id, baseCurrency, quoteCurrency, priceIncrement, sizeIncrement, minSize, minFunds, maxNotional, makerFeeRate, takerFeeRate, status } = product;
    const listed: Product = { id, baseCurrency, quoteCurrency, priceIncrement, sizeIncrement, minSize, minFunds, maxNotional, makerFeeRate, takerFeeRate, status };
    const problem = this.catalog.problemListing(listed);
    if (problem !== null) return { code: 'INVALID_PRODUCT', message: problem };
    return { type: 'list_product', product: listed };
  }

  private place(request: PlaceOrderRequest): ExchangeCommand | RejectionCode {
    const product = this.catalog.product(request.productId);
    if (product === undefined) return 'UNKNOWN_PRODUCT';
    const timeInForce = request.timeInForce ?? 'GTC';
    const stp = request.stp ?? 'dc';
    const postOnly = request.postOnly ?? false;
    const clientOid = request.clientOid ?? null;
    if (
      !isId(request.userId) ||
      !SIDES.includes(request.side) ||
      !ORDER_TYPES.includes(request.orderType) ||
      !TIME_IN_FORCE.includes(timeInForce) ||
      !STP_MODES.includes(stp) ||
      typeof postOnly !== 'boolean' ||
      (clientOid !== null && !isId(clientOid))
    ) {
      return 'INVALID_ARGUMENT';
    }
    const base = { type: 'place', userId: request.userId, productId: product.id, side: request.side, stp, clientOid } as const;
    if (request.orderType === 'limit') {
      if (request.funds !== undefined || (postOnly && timeInForce !== 'GTC')) return 'INVALID_ARGUMENT';
      const price = parseSteps(request.price, product.priceIncrement);
      if (price === 'malformed') return 'INVALID_PRICE';
      if (price === 'off_step') return 'INVALID_PRICE_INCREMENT';
      if (price === 'too_large') return 'ORDER_TOO_LARGE';
      const size = parseSteps(request.size, product.sizeIncrement);
      if (size === 'malformed') return 'INVALID_SIZE';
      if (size === 'off_step') return 'INVALID_SIZE_INCREMENT';
      if (size === 'too_large') return 'ORDER_TOO_LARGE';
      return { ...base, orderType: 'limit', price, size, funds: 0, timeInForce, postOnly };
    }
    if (request.price !== undefined || postOnly) return 'INVALID_ARGUMENT';
    const market = { ...base, orderType: 'market', price: 0, timeInForce: 'IOC', postOnly: false } as const;
    if (request.funds !== undefined) {
      if (request.side !== 'buy' || request.size !== undefined) return 'INVALID_ARGUMENT';
      const funds = parseSteps(request.funds, product.quote.unit);
      if (funds === 'too_large') return 'ORDER_TOO_LARGE';
      if (typeof funds === 'string') return 'INVALID_FUNDS';
      return { ...market, size: 0, funds };
    }
    const size = parseSteps(request.size, product.sizeIncrement);
    if (size === 'malformed') return 'INVALID_SIZE';
    if (size === 'off_step') return 'INVALID_SIZE_INCREMENT';
    if (size === 'too_large') return 'ORDER_TOO_LARGE';
    return { ...market, size, funds: 0 };
  }

  private amount(currencyId: string, text: string): number | RejectionCode {
    const currency = this.catalog.currency(currencyId);
    if (currency === undefined) return 'UNKNOWN_CURRENCY';
    const amount = parseSteps(text, currency.unit);
    if (amount === 'too_large') return 'AMOUNT_TOO_LARGE';
    return typeof amount === 'string' ? 'INVALID_AMOUNT' : amount;
  }
}

/** Printable, without spaces, at most 128 characters: what any chain's address (with a memo) fits in. */
function isAddress(value: unknown): value is string {
  return typeof value === 'string' && /^[\x21-\x7e]{1,128}$/.test(value);
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH;
}
