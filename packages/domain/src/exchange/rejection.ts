import { DomainError, type ErrorKind } from '../errors';

/** Why the exchange refused a request or command. A rejection never changes state. */
export type RejectionCode =
  | 'INVALID_ARGUMENT'
  | 'UNKNOWN_PRODUCT'
  | 'UNKNOWN_CURRENCY'
  | 'PRODUCT_NOT_TRADING'
  | 'PRODUCT_POST_ONLY'
  | 'PRODUCT_LIMIT_ONLY'
  | 'PRODUCT_EXISTS'
  | 'INVALID_PRODUCT'
  | 'INVALID_PRICE'
  | 'INVALID_PRICE_INCREMENT'
  | 'INVALID_SIZE'
  | 'INVALID_SIZE_INCREMENT'
  | 'INVALID_FUNDS'
  | 'SIZE_TOO_SMALL'
  | 'FUNDS_TOO_SMALL'
  | 'ORDER_TOO_LARGE'
  | 'INSUFFICIENT_FUNDS'
  | 'POST_ONLY_WOULD_CROSS'
  | 'FOK_NOT_FILLABLE'
  | 'DUPLICATE_CLIENT_OID'
  | 'ORDER_NOT_FOUND'
  | 'INVALID_AMOUNT'
  | 'AMOUNT_TOO_LARGE';

export interface Rejection {
  code: RejectionCode;
  message: string;
}

/**
 * Kind and message of each code; delivery maps kinds to statuses. Messages use Coinbase
 * Exchange's words where Coinbase has them ("Insufficient funds", "size is too small", "price
 * too precise", "order not found", "Order already done"...), because Coinbase clients
 * (ccxt's coinbaseexchange among them) pick an error class by those words. A refusal the
 * same request would meet again is `refused` (400, like Coinbase), never a retryable status.
 */
export const REJECTIONS: Readonly<Record<RejectionCode, { kind: ErrorKind; message: string }>> = {
  INVALID_ARGUMENT: { kind: 'invalid', message: 'The request is malformed or combines fields that do not go together.' },
  UNKNOWN_PRODUCT: { kind: 'not_found', message: 'Product not found' },
  UNKNOWN_CURRENCY: { kind: 'not_found', message: 'Currency not found' },
  PRODUCT_NOT_TRADING: { kind: 'refused', message: 'Cancel only mode: the product does not accept new orders right now.' },
  PRODUCT_POST_ONLY: { kind: 'refused', message: 'Post only mode: the product accepts only post-only limit orders right now.' },
  PRODUCT_LIMIT_ONLY: { kind: 'refused', message: 'Limit only mode: the product accepts only limit orders right now.' },
  PRODUCT_EXISTS: { kind: 'conflict', message: 'A product with this id is already listed.' },
  INVALID_PRODUCT: { kind: 'invalid', message: 'The product definition is not valid.' },
  INVALID_PRICE: { kind: 'invalid', message: 'Invalid price: it must be a positive decimal number.' },
  INVALID_PRICE_INCREMENT: { kind: 'invalid', message: 'price too precise: it is not a multiple of the product quote_increment.' },
  INVALID_SIZE: { kind: 'invalid', message: 'Invalid size: it must be a positive decimal number.' },
  INVALID_SIZE_INCREMENT: { kind: 'invalid', message: 'size is too accurate: it is not a multiple of the product base_increment.' },
  INVALID_FUNDS: { kind: 'invalid', message: 'Invalid funds: a positive amount in whole minor units of the quote currency.' },
  SIZE_TOO_SMALL: { kind: 'invalid', message: 'size is too small: it is below the product base_min_size.' },
  FUNDS_TOO_SMALL: { kind: 'invalid', message: 'funds is too small: the order value is below the product min_market_funds.' },
  ORDER_TOO_LARGE: { kind: 'invalid', message: 'funds is too large: the order value exceeds the product max_market_funds.' },
  INSUFFICIENT_FUNDS: { kind: 'refused', message: 'Insufficient funds' },
  POST_ONLY_WOULD_CROSS: { kind: 'refused', message: 'Post only order would take liquidity: it crosses the book.' },
  FOK_NOT_FILLABLE: { kind: 'refused', message: 'Fill or kill order cannot be filled completely.' },
  DUPLICATE_CLIENT_OID: { kind: 'refused', message: 'Duplicate client_oid: an order with this client_oid was already placed.' },
  ORDER_NOT_FOUND: { kind: 'not_found', message: 'order not found, or Order already done' },
  INVALID_AMOUNT: { kind: 'invalid', message: 'Invalid amount: it must be positive and in whole minor units of the currency.' },
  AMOUNT_TOO_LARGE: { kind: 'invalid', message: 'Invalid amount: it exceeds what the exchange can hold exactly.' },
};

/** A request refused before it was sequenced (shape or increments); it left no trace. */
export interface RejectedRequest {
  sequence: null;
  orderId: null;
  rejection: Rejection;
  events: [];
}

/** A product, currency or order the caller asked for does not exist (or is not theirs). */
export const exchangeNotFound = (what: string): DomainError => new DomainError('EXCHANGE.NOT_FOUND', 'not_found', `${what} not found`);
