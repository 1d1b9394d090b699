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

/** Human message and transport-neutral kind of each code; delivery maps kinds to statuses. */
export const REJECTIONS: Readonly<Record<RejectionCode, { kind: ErrorKind; message: string }>> = {
  INVALID_ARGUMENT: { kind: 'invalid', message: 'The request is malformed or combines fields that do not go together.' },
  UNKNOWN_PRODUCT: { kind: 'not_found', message: 'No such product.' },
  UNKNOWN_CURRENCY: { kind: 'not_found', message: 'No such currency.' },
  PRODUCT_NOT_TRADING: { kind: 'conflict', message: 'The product does not accept new orders right now.' },
  PRODUCT_POST_ONLY: { kind: 'conflict', message: 'The product accepts only post-only limit orders right now.' },
  PRODUCT_LIMIT_ONLY: { kind: 'conflict', message: 'The product accepts only limit orders right now.' },
  PRODUCT_EXISTS: { kind: 'conflict', message: 'A product with this id is already listed.' },
  INVALID_PRODUCT: { kind: 'invalid', message: 'The product definition is not valid.' },
  INVALID_PRICE: { kind: 'invalid', message: 'Price must be a positive decimal number.' },
  INVALID_PRICE_INCREMENT: { kind: 'invalid', message: 'Price is not a multiple of the product price increment.' },
  INVALID_SIZE: { kind: 'invalid', message: 'Size must be a positive decimal number.' },
  INVALID_SIZE_INCREMENT: { kind: 'invalid', message: 'Size is not a multiple of the product size increment.' },
  INVALID_FUNDS: { kind: 'invalid', message: 'Funds must be a positive amount in whole minor units of the quote currency.' },
  SIZE_TOO_SMALL: { kind: 'invalid', message: 'Size is below the product minimum size.' },
  FUNDS_TOO_SMALL: { kind: 'invalid', message: 'Order value is below the product minimum funds.' },
  ORDER_TOO_LARGE: { kind: 'invalid', message: 'Order value exceeds the product maximum.' },
  INSUFFICIENT_FUNDS: { kind: 'conflict', message: 'Insufficient available balance.' },
  POST_ONLY_WOULD_CROSS: { kind: 'conflict', message: 'Post-only order would take liquidity.' },
  FOK_NOT_FILLABLE: { kind: 'conflict', message: 'Fill-or-kill order cannot be filled completely.' },
  DUPLICATE_CLIENT_OID: { kind: 'conflict', message: 'An order with this client order id was already placed.' },
  ORDER_NOT_FOUND: { kind: 'not_found', message: 'Order not found or already done.' },
  INVALID_AMOUNT: { kind: 'invalid', message: 'Amount must be positive and in whole minor units of the currency.' },
  AMOUNT_TOO_LARGE: { kind: 'invalid', message: 'Amount exceeds what the exchange can hold exactly.' },
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
