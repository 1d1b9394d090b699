import { Type } from '@sinclair/typebox';
import { CANDLE_GRANULARITIES } from '@sd/domain/exchange/market-data';
import { Nullable, StringEnum } from '@sd/http/schema-types';

/**
 * The exchange API's shapes, once: what each route accepts and answers. Validation,
 * serialization and the OpenAPI document come from here. Shapes only: increments, scales and
 * every rule that needs the catalog, a balance or the book stay with the request parser and
 * the engine. Coinbase-Exchange names: snake_case, decimal strings, ISO-8601 times.
 */

const Time = Type.String({ description: 'ISO-8601 UTC', examples: ['2026-01-01T12:00:00.000Z'] });
const Amount = (description: string) => Type.String({ description, examples: ['30000.10'] });
const Id = (description: string) => Type.String({ description });

/** A decimal amount as sent: digits with an optional fraction, no sign or exponent; its increment is checked against the product. */
const DecimalInput = (description: string) =>
  Type.String({ pattern: '^\\d+(\\.\\d+)?$', maxLength: 40, description, errorMessage: 'must be a decimal string of digits, such as "30000.10"' });
const ShortText = (description: string) => Type.String({ minLength: 1, maxLength: 64, description, errorMessage: 'must be a short string' });
/**
 * Coinbase's cursor paging, newest first: `after` an id (a page's `CB-AFTER` header) for the
 * older items, `before` one (its `CB-BEFORE`) for the newer page next to it.
 */
const Page = (id: string) => ({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100, description: 'page size', errorMessage: 'must be an integer from 1 to 1000' })),
  after: Type.Optional(Type.Integer({ minimum: 1, description: `${id}: only older items (CB-AFTER of a page)`, errorMessage: 'must be an id from a previous page' })),
  before: Type.Optional(Type.Integer({ minimum: 1, description: `${id}: the newer items next to it (CB-BEFORE of a page)`, errorMessage: 'must be an id from a previous page' })),
});
/** Epoch seconds or an ISO-8601 time, as Coinbase accepts both. */
const TimeInput = (description: string) =>
  Type.Optional(
    Type.String({
      pattern: '^(\\d{1,12}|\\d{4}-\\d{2}-\\d{2}([T ][\\d:.]{2,18})?(Z|[+-]\\d{2}:?\\d{2})?)$',
      description,
      errorMessage: 'must be epoch seconds or an ISO-8601 time',
    }),
  );

export const Product = Type.Object({
  id: Type.String({ examples: ['BTC-USDT'] }),
  base_currency: Type.String(),
  quote_currency: Type.String(),
  quote_increment: Amount('price tick'),
  base_increment: Amount('size lot'),
  base_min_size: Amount('smallest size'),
  min_market_funds: Amount('smallest notional, quote currency'),
  max_market_funds: Amount('largest notional of one order, quote currency'),
  display_name: Type.String(),
  status: Type.String(),
  maker_fee_rate: Amount('a fraction: 0.001 is 0.1 %'),
  taker_fee_rate: Amount('a fraction'),
});

/** `[price, size, orders at the level]` (levels 1 and 2) or `[price, size, order id]` (level 3). */
const BookRow = Type.Tuple([Type.String(), Type.String(), Type.Unsafe<number | string>({ type: ['integer', 'string'] })]);
export const Book = Type.Object({
  sequence: Type.Integer({ description: "the book's sequence: one more per change of this product's book" }),
  bids: Type.Array(BookRow),
  asks: Type.Array(BookRow),
  time: Time,
});

export const PublicTrade = Type.Object({ time: Time, trade_id: Id('increasing'), price: Type.String(), size: Type.String(), side: StringEnum(['buy', 'sell'], { description: "the maker's side" }) });

/** `[time (epoch seconds, bucket start), low, high, open, close, volume]`, newest first. */
export const Candle = Type.Tuple([Type.Integer(), Type.String(), Type.String(), Type.String(), Type.String(), Type.String()]);

export const Stats = Type.Object({
  open: Type.String(),
  high: Type.String(),
  low: Type.String(),
  last: Type.String(),
  volume: Type.String({ description: 'base currency, rolling 24 h' }),
  volume_30day: Type.String({ description: 'base currency, rolling 30 days' }),
});

export const ServerTime = Type.Object({ iso: Time, epoch: Type.Number({ description: 'epoch seconds, with milliseconds' }) });

export const Currency = Type.Object({
  id: Type.String({ examples: ['BTC'] }),
  name: Type.String(),
  min_size: Amount('the minor unit'),
  status: StringEnum(['online']),
  message: Type.String(),
  max_precision: Amount('the minor unit: amounts are whole multiples of it'),
  convertible_to: Type.Array(Type.String()),
  details: Type.Object({ type: StringEnum(['crypto']), symbol: Nullable(Type.String()), sort_order: Type.Integer(), push_payment_methods: Type.Array(Type.String()) }),
  supported_networks: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), status: Type.String() })),
  display_name: Type.String(),
});

export const Ticker = Type.Object({
  trade_id: Nullable(Type.String()),
  price: Nullable(Type.String({ description: 'last trade' })),
  size: Nullable(Type.String()),
  bid: Nullable(Type.String()),
  ask: Nullable(Type.String()),
  volume: Type.String({ description: 'base currency, rolling 24 h' }),
  time: Time,
});

/** What liveness adds to `status` in the exchange. */
export const LiveFields = { sequence: Nullable(Type.Integer({ description: 'the last engine command this process applied' })) };

export const Account = Type.Object({
  id: Type.String({ description: 'the currency' }),
  currency: Type.String(),
  balance: Amount('available + hold'),
  available: Amount('free to trade or withdraw'),
  hold: Amount('held by open orders'),
});

const Side = StringEnum(['buy', 'sell']);
const OrderTypes = ['limit', 'market'] as const;
const TimeInForce = ['GTC', 'IOC', 'FOK'] as const;
const Stp = ['dc', 'co', 'cn', 'cb'] as const;

export const Order = Type.Object({
  id: Id('the order id'),
  client_oid: Nullable(Type.String()),
  product_id: Type.String(),
  side: Side,
  type: StringEnum(OrderTypes),
  price: Nullable(Type.String({ description: 'limit orders' })),
  size: Nullable(Type.String({ description: 'null for a market buy by funds' })),
  funds: Nullable(Type.String({ description: 'market buys by funds' })),
  time_in_force: StringEnum(TimeInForce),
  post_only: Type.Boolean(),
  stp: StringEnum(Stp),
  status: StringEnum(['open', 'done']),
  done_reason: Nullable(StringEnum(['filled', 'canceled'])),
  filled_size: Type.String(),
  executed_value: Type.String({ description: 'quote currency traded, fees excluded' }),
  fill_fees: Type.String(),
  created_at: Time,
  done_at: Nullable(Time),
});

export const Fill = Type.Object({
  trade_id: Type.String(),
  product_id: Type.String(),
  order_id: Type.String(),
  price: Type.String(),
  size: Type.String(),
  liquidity: StringEnum(['M', 'T'], { description: 'M: maker, T: taker' }),
  fee: Type.String({ description: 'quote currency' }),
  side: Side,
  created_at: Time,
});

export const NewOrder = Type.Object({
  product_id: Type.String({ maxLength: 64, description: 'BTC-USDT' }),
  side: StringEnum(['buy', 'sell']),
  type: Type.Optional(StringEnum(OrderTypes, { default: 'limit' })),
  price: Type.Optional(DecimalInput('limit orders: a multiple of the product quote_increment')),
  size: Type.Optional(DecimalInput('a multiple of base_increment, at least base_min_size')),
  funds: Type.Optional(DecimalInput('market buys: quote currency to spend, instead of size')),
  time_in_force: Type.Optional(StringEnum(TimeInForce, { default: 'GTC' })),
  post_only: Type.Optional(Type.Boolean({ description: 'GTC limit orders only: refused rather than take liquidity' })),
  stp: Type.Optional(StringEnum(Stp, { description: 'self-trade prevention', default: 'dc' })),
  client_oid: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'your id for the order; a duplicate is refused' })),
});

export const Deposit = Type.Object({ currency: Type.String({ maxLength: 16 }), amount: DecimalInput('whole units of the currency') });

export const ProductPath = Type.Object({ productId: Type.String({ maxLength: 100, description: 'BTC-USDT' }) });
export const OrderPath = Type.Object({ orderId: Type.String({ maxLength: 200, description: 'an order id, or client:<client_oid>' }) });
export const CurrencyPath = Type.Object({ currency: Type.String({ maxLength: 16, description: 'the account id, which is its currency' }) });
export const CurrencyIdPath = Type.Object({ currencyId: Type.String({ maxLength: 16 }) });

const TransferTypes = ['deposit', 'withdraw', 'internal_deposit', 'internal_withdraw'] as const;

export const LedgerEntry = Type.Object({
  id: Id('increasing'),
  created_at: Time,
  amount: Amount('signed: what the change added to the balance'),
  balance: Amount('the balance after the change'),
  type: StringEnum(['match', 'fee', 'transfer']),
  details: Type.Object({
    order_id: Type.Optional(Type.String()),
    trade_id: Type.Optional(Type.String()),
    product_id: Type.Optional(Type.String()),
    transfer_id: Type.Optional(Type.String()),
    transfer_type: Type.Optional(StringEnum(TransferTypes)),
  }),
});

export const Hold = Type.Object({
  id: Id('the order holding the funds'),
  account_id: Type.String({ description: 'the currency' }),
  created_at: Time,
  updated_at: Time,
  amount: Amount('held'),
  type: StringEnum(['order']),
  ref: Id('the order'),
});

export const Transfer = Type.Object({
  id: Id('the command that moved the funds'),
  type: StringEnum(TransferTypes),
  created_at: Time,
  completed_at: Nullable(Time),
  canceled_at: Nullable(Time),
  processed_at: Nullable(Time),
  account_id: Type.String({ description: 'the currency' }),
  user_id: Type.String(),
  user_nonce: Nullable(Type.String()),
  amount: Amount('positive'),
  currency: Type.String(),
  details: Type.Object({ crypto_address: Type.Optional(Type.String()) }),
});

export const Withdrawal = Type.Object({
  id: Id('the transfer'),
  amount: Amount('withdrawn'),
  currency: Type.String(),
  fee: Amount('no fee: the exchange simulates the chain'),
  subtotal: Amount('amount less fee'),
});

export const NewWithdrawal = Type.Object({
  currency: Type.String({ maxLength: 16 }),
  // A JSON number is read by its shortest decimal form, as ccxt sends it; its scale is then checked exactly.
  amount: Type.Union([DecimalInput('whole minor units of the currency'), Type.Number({ exclusiveMinimum: 0 })]),
  crypto_address: Type.String({ minLength: 1, maxLength: 128, pattern: '^[\\x21-\\x7e]+$', description: 'where to (kept in the transfer history)' }),
  destination_tag: Type.Optional(Type.String({ maxLength: 64 })),
  no_destination_tag: Type.Optional(Type.Boolean()),
  nonce: Type.Optional(Type.Integer()),
});

export const TransfersQuery = Type.Object({
  type: Type.Optional(StringEnum(TransferTypes)),
  ...Page('a transfer id'),
});
export const AccountPage = Type.Object(Page('an id from a previous page'));

export const BookQuery = Type.Object({
  level: Type.Optional(Type.Integer({ minimum: 1, maximum: 3, default: 1, description: '1: best bid and ask; 2: every level; 3: every order', errorMessage: 'must be 1, 2 or 3' })),
});
export const TradesQuery = Type.Object(Page('a trade id'));
export const CandlesQuery = Type.Object({
  granularity: Type.Optional(
    Type.Integer({ enum: [...CANDLE_GRANULARITIES], default: 60, description: 'seconds per candle', errorMessage: `must be one of ${CANDLE_GRANULARITIES.join(', ')}` }),
  ),
  start: TimeInput('first bucket'),
  end: TimeInput('last bucket'),
});
/** Coinbase's order statuses: open, pending and active are all open here (an answer comes once the order is applied); rejected orders are refusals, never listed. */
export const ORDER_STATUSES = ['open', 'pending', 'active', 'received', 'done', 'rejected', 'all'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
const OrderStatus = StringEnum(ORDER_STATUSES);
export const OrdersQuery = Type.Object({
  status: Type.Optional(
    Type.Union([OrderStatus, Type.Array(OrderStatus, { maxItems: ORDER_STATUSES.length })], {
      description: 'repeatable; default open, pending and active; all for every order',
      errorMessage: `must be one of ${ORDER_STATUSES.join(', ')}`,
    }),
  ),
  product_id: Type.Optional(ShortText('only this product')),
  ...Page('an order id'),
});
export const FillsQuery = Type.Object({
  order_id: Type.Optional(Type.Integer({ minimum: 1, description: 'only fills of this order', errorMessage: 'must be an order id' })),
  product_id: Type.Optional(ShortText('only this product')),
  ...Page('a trade id'),
});
export const CancelAllQuery = Type.Object({ product_id: Type.Optional(ShortText('only this product')) });
