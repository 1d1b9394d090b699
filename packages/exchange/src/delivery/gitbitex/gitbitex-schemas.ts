import { Type } from '@sinclair/typebox';
import { CANDLE_GRANULARITIES } from '@sd/domain/exchange/market-data';
import { Nullable, StringEnum } from '@sd/http/schema-types';

/*
 * gitbitex-web's shapes, once: validation, serialization and the OpenAPI document come from
 * here. camelCase; amounts as decimal strings (the page Number()s them), candles as numbers.
 * Shapes only: increments, scales and balances stay with the request parser and the engine.
 */

const Time = Type.String({ description: 'ISO-8601 UTC' });
const Amount = (description: string) => Type.String({ description });
const Side = StringEnum(['buy', 'sell']);

export const Product = Type.Object({
  id: Type.String({ examples: ['BTC-USDT'] }),
  displayName: Type.String(),
  baseCurrency: Type.String(),
  quoteCurrency: Type.String(),
  baseMinSize: Amount('smallest size, written with baseScale decimals (the page shows sizes with `length - 2` of them)'),
  baseIncrement: Amount('size lot'),
  quoteIncrement: Amount('price tick, written with quoteScale decimals'),
  quoteMinSize: Amount('smallest notional, quote currency'),
  quoteMaxSize: Amount('largest notional of one order, quote currency'),
  baseScale: Type.Integer({ description: 'decimals of a size' }),
  quoteScale: Type.Integer({ minimum: 1, description: 'decimals of a price, at least 1' }),
  makerFeeRate: Amount('a fraction: 0.001 is 0.1 %'),
  takerFeeRate: Amount('a fraction'),
  status: Type.String(),
});

/** `[time (epoch seconds, bucket start), low, high, open, close, volume]`, numbers. */
export const Candle = Type.Array(Type.Number(), { minItems: 6, maxItems: 6 });

export const Trade = Type.Object({ time: Time, tradeId: Type.String(), price: Type.String(), size: Type.String(), side: StringEnum(['buy', 'sell'], { description: "the maker's side" }) });

export const Order = Type.Object({
  id: Type.String(),
  productId: Type.String(),
  side: Side,
  orderType: StringEnum(['limit', 'market']),
  price: Amount('0 for a market order (the page writes MARKET)'),
  size: Amount('what a market buy by funds bought'),
  funds: Nullable(Type.String({ description: 'market buys by funds' })),
  filledSize: Type.String(),
  executedValue: Type.String({ description: 'quote currency traded, fees excluded' }),
  fillFees: Type.String(),
  status: StringEnum(['open', 'filled', 'cancelled'], { description: 'open shows a cancel link' }),
  doneReason: Nullable(StringEnum(['filled', 'canceled'])),
  createdAt: Time,
  doneAt: Nullable(Time),
});

/** A number as the page's form sends it (a decimal string is taken too; null where the form had none). */
const FormNumber = (description: string) => Type.Optional(Type.Union([Type.Number(), Type.String({ maxLength: 40 }), Type.Null()], { description }));

export const NewOrder = Type.Object({
  productId: Type.String({ maxLength: 64 }),
  side: Side,
  type: StringEnum(['market', 'limit']),
  price: FormNumber('limit orders; a market order\'s is the last price and is ignored'),
  size: FormNumber('limit orders and market sells'),
  funds: FormNumber('market buys: quote currency to spend, fee included; a limit order\'s is ignored'),
});

/** One value, or the same parameter repeated. */
const Repeatable = (description: string) =>
  Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 16 })], { description }));

export const OrdersQuery = Type.Object({
  productId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  status: Repeatable('open: the open orders; none: every order'),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 30, errorMessage: 'must be an integer from 1 to 1000' })),
  after: Type.Optional(Type.Integer({ minimum: 1, description: 'gbe-after of a page: the orders older than it', errorMessage: 'must be an id from a previous page' })),
});

export const OrdersPage = Type.Object({ items: Type.Array(Order) }, { description: 'newest first; headers gbe-before (the newest id) and gbe-after (the oldest)' });

export const CancelAllQuery = Type.Object({ productId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })) });

export const Account = Type.Object({ currency: Type.String(), available: Type.String(), hold: Type.String(), balance: Type.String({ description: 'available + hold' }) });

export const AccountsQuery = Type.Object({ currency: Repeatable('only these currencies, a row for each') });

export const CandlesQuery = Type.Object({
  granularity: Type.Optional(
    Type.Integer({ enum: [...CANDLE_GRANULARITIES], default: 60, description: 'seconds per candle', errorMessage: `must be one of ${CANDLE_GRANULARITIES.join(', ')}` }),
  ),
});

export const ProductPath = Type.Object({ productId: Type.String({ maxLength: 100 }) });
export const OrderPath = Type.Object({ orderId: Type.String({ maxLength: 200 }) });
export const CurrencyPath = Type.Object({ currency: Type.String({ maxLength: 16 }) });

export const DepositAddress = Type.Object({ currency: Type.String(), address: Type.String({ description: 'simulated: deposits arrive through the faucet' }) });

export const NewWithdrawal = Type.Object({
  amount: Type.Union([Type.String({ maxLength: 64 }), Type.Number({ exclusiveMinimum: 0 })], {
    description: "the withdrawal dialog's amount; a number within rounding noise of the currency's scale is that decimal",
  }),
  cryptoAddress: Type.String({ minLength: 1, maxLength: 128, pattern: '^[\\x21-\\x7e]+$', description: 'where to (kept in the wallet history)' }),
});

/** A row of the wallet page: a deposit (`received`) or a withdrawal (`send`), settled when applied. */
export const WalletTransaction = Type.Object({
  id: Type.String({ description: 'the transfer' }),
  type: StringEnum(['send', 'received']),
  amount: Amount('positive, in the currency'),
  currency: Type.String(),
  createdAt: Time,
  status: StringEnum(['completed']),
  price: Amount('the currency in nativeCurrency: 1, the exchange values a transfer in its own currency'),
  nativeAmount: Amount('the amount in nativeCurrency'),
  nativeCurrency: Type.String(),
  toAddress: Nullable(Type.String({ description: 'a withdrawal’s address' })),
  network: Type.Object({
    confirmations: Type.Integer({ description: 'settled at once: the exchange simulates the chain' }),
    feeAmount: Amount('no fee'),
    resourceUrl: Nullable(Type.String()),
  }),
});
