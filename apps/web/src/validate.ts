import Big from 'big.js';
import type { NewOrderJson } from '@sd/exchange/delivery/http/api-types';
import type { Product, Side } from './types';

export interface OrderForm {
  side: Side;
  type: 'limit' | 'market';
  price: string;
  size: string;
  funds: string;
  /** A market order is sized in base currency or in quote funds. */
  amount: 'size' | 'funds';
  timeInForce: 'GTC' | 'IOC' | 'FOK';
  postOnly: boolean;
}

/** The body of POST /api/orders, as the contract describes it. */
export type OrderBody = NewOrderJson;

export type Validation =
  | { ok: true; body: OrderBody }
  | { ok: false; field: 'product' | 'type' | 'price' | 'size' | 'funds' | 'postOnly'; message: string };

const DECIMAL = /^(\d+(\.\d*)?|\.\d+)$/;

/**
 * Checks an order against the product's increments and limits before anything is sent,
 * so the trader reads what is wrong in words instead of a rejected request.
 */
export function validateOrder(product: Product, form: OrderForm): Validation {
  const refused = statusRefusal(product, form);
  if (refused) return refused;
  const base = product.base_currency;
  const quote = product.quote_currency;

  if (form.type === 'limit') {
    const price = amount('price', 'Price', form.price, product.quote_increment, quote);
    if (!price.ok) return price;
    const size = amount('size', 'Size', form.size, product.base_increment, base, product.base_min_size);
    if (!size.ok) return size;
    if (form.postOnly && form.timeInForce !== 'GTC') {
      return { ok: false, field: 'postOnly', message: 'Post-only needs time in force GTC: an IOC or FOK order never rests on the book.' };
    }
    return {
      ok: true,
      body: { product_id: product.id, side: form.side, type: 'limit', price: price.value, size: size.value, time_in_force: form.timeInForce, post_only: form.postOnly },
    };
  }

  if (form.amount === 'size') {
    const size = amount('size', 'Size', form.size, product.base_increment, base, product.base_min_size);
    if (!size.ok) return size;
    return { ok: true, body: { product_id: product.id, side: form.side, type: 'market', size: size.value } };
  }
  const funds = amount('funds', 'Funds', form.funds, product.quote_increment, quote, product.min_market_funds, product.max_market_funds);
  if (!funds.ok) return funds;
  return { ok: true, body: { product_id: product.id, side: form.side, type: 'market', funds: funds.value } };
}

type Amount = { ok: true; value: string } | { ok: false; field: 'price' | 'size' | 'funds'; message: string };

function amount(
  field: 'price' | 'size' | 'funds',
  label: string,
  input: string,
  increment: string,
  currency: string,
  min?: string | null,
  max?: string | null,
): Amount {
  const text = input.trim();
  if (text === '') return { ok: false, field, message: `Enter a ${label.toLowerCase()}.` };
  if (!DECIMAL.test(text)) return { ok: false, field, message: `${label} must be a plain decimal number such as 12.5, not "${text}".` };
  const value = new Big(text);
  if (value.lte(0)) return { ok: false, field, message: `${label} must be greater than zero.` };
  if (!value.mod(increment).eq(0)) {
    return { ok: false, field, message: `${label} must be a multiple of ${new Big(increment).toFixed()} ${currency}.` };
  }
  if (min && new Big(min).gt(0) && value.lt(min)) {
    return { ok: false, field, message: `${label} must be at least ${new Big(min).toFixed()} ${currency}.` };
  }
  if (max && new Big(max).gt(0) && value.gt(max)) {
    return { ok: false, field, message: `${label} must be at most ${new Big(max).toFixed()} ${currency}.` };
  }
  return { ok: true, value: value.toFixed() };
}

/** What the product's status says of it, for the page; null when it trades normally. */
export function statusNotice(product: Product): string | null {
  switch (product.status) {
    case 'cancel_only':
      return `${product.id} is cancel-only: open orders can be canceled, new ones are refused.`;
    case 'post_only':
      return `${product.id} is post-only: only post-only limit orders, which never trade on arrival.`;
    case 'limit_only':
      return `${product.id} is limit-only: market orders are refused.`;
    case 'delisted':
      return `${product.id} is delisted: it takes no orders.`;
    default:
      return null;
  }
}

/** What the status forbids (as the exchange enforces it), before anything is sent. */
function statusRefusal(product: Product, form: OrderForm): Validation | null {
  const message = statusNotice(product);
  switch (product.status) {
    case 'cancel_only':
    case 'delisted':
      return { ok: false, field: 'product', message: message! };
    case 'limit_only':
      return form.type === 'market' ? { ok: false, field: 'type', message: message! } : null;
    case 'post_only':
      if (form.type === 'market') return { ok: false, field: 'type', message: message! };
      return form.postOnly ? null : { ok: false, field: 'postOnly', message: message! };
    default:
      return null;
  }
}
