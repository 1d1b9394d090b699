import { Type, type TObject, type TProperties, type TSchema } from '@sinclair/typebox';
import { CancelAllQuery, NewOrder, Order, OrderPath } from '../http/api-schemas';

/**
 * Every message of the `/ws` feed, once: the AsyncAPI document is built from these, and the
 * feed's tests check what push sends against it. Objects are closed (`additionalProperties:
 * false`), so a renamed or stray field fails the check. Coinbase-Exchange names: snake_case,
 * decimal strings, ISO-8601 times; `sequence` is the engine sequence of the command that
 * caused the message (for `snapshot` and `l2update`, the book's own sequence).
 */

const closed = <T extends TProperties>(properties: T, description: string): TObject<T> => Type.Object(properties, { additionalProperties: false, description });
const Decimal = (description: string) => Type.String({ pattern: '^-?\\d+(\\.\\d+)?$', description });
const Time = Type.String({ format: 'date-time', description: 'ISO-8601 UTC' });
const Id = (description: string) => Type.String({ pattern: '^\\d+$', description });
const Side = Type.Union([Type.Literal('buy'), Type.Literal('sell')]);
const Sequence = Type.Integer({ minimum: 0, description: 'the engine sequence of the command that caused this message' });
const ProductId = Type.String({ description: 'a product id, BASE-QUOTE' });
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const literal = <T extends string>(value: T) => Type.Literal(value);

export const CHANNEL_NAMES = ['heartbeat', 'ticker', 'level2', 'level2_batch', 'matches', 'full', 'candles', 'user', 'funds'] as const;
const ChannelName = Type.Union(CHANNEL_NAMES.map((name) => Type.Literal(name)));

// ---- client to server ------------------------------------------------------------------

/** How a message signs its connection in: an API key's signature, or an access token (else the upgrade request's bearer header or cookie). */
const credentials = {
  key: Type.Optional(Type.String({ description: 'API key: signs timestamp + GET + /users/self/verify' })),
  passphrase: Type.Optional(Type.String()),
  timestamp: Type.Optional(Type.String({ description: 'epoch seconds; within 30 s of the server' })),
  signature: Type.Optional(Type.String({ description: 'base64 HMAC-SHA256, as for REST' })),
  token: Type.Optional(Type.String({ description: 'an access token instead of a signature' })),
};

const SubscriptionRequest = (type: 'subscribe' | 'unsubscribe', description: string) =>
  closed(
    {
      type: literal(type),
      product_ids: Type.Optional(Type.Array(ProductId, { description: 'products for the channels named by a bare string' })),
      channels: Type.Array(Type.Union([ChannelName, closed({ name: ChannelName, product_ids: Type.Optional(Type.Array(ProductId)) }, 'a channel with its own products')]), {
        minItems: 1,
      }),
      ...credentials,
    },
    description,
  );

/** The client's id of a request, echoed in its answer. */
export const RequestId = Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Integer()], { description: 'your id of the request (text, or an integer), echoed in its answer' });

const signedIn =
  ' The connection must be signed in (a private subscribe, the credentials on this message, or the upgrade request\'s bearer header or cookie) with the trade permission; it counts against the same per-user order limit as REST.';

export const ClientMessages = {
  subscribe: SubscriptionRequest('subscribe', 'Subscribes to channels; private ones (user, funds) need a signature or a token. Answered by `subscriptions`.'),
  unsubscribe: SubscriptionRequest('unsubscribe', 'Ends subscriptions. Answered by `subscriptions`.'),
  place_order: closed(
    { type: literal('place_order'), request_id: RequestId, order: NewOrder, ...credentials },
    `Places an order: \`order\` is the body of REST's POST /orders. Answered by \`order_response\` once the order is durable in the journal and applied, or \`error\`.${signedIn}`,
  ),
  cancel_order: closed(
    { type: literal('cancel_order'), request_id: RequestId, order_id: OrderPath.properties.orderId, ...credentials },
    `Cancels an order, by id or client:<client_oid> (as REST's DELETE /orders/{id}). Answered by \`cancel_order_response\` or \`error\`.${signedIn}`,
  ),
  cancel_all: closed(
    { type: literal('cancel_all'), request_id: RequestId, product_id: CancelAllQuery.properties.product_id, ...credentials },
    `Cancels every open order of the caller's, or of one product (as REST's DELETE /orders). Answered by \`cancel_all_response\` or \`error\`.${signedIn}`,
  ),
};

/** The client messages that ask for something to be done, each answered with its `request_id`. */
export const REQUEST_TYPES = ['place_order', 'cancel_order', 'cancel_all'] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

// ---- server to client ------------------------------------------------------------------

const BookLevel = Type.Tuple([Decimal('price'), Decimal('size at the price')]);
const Change = Type.Tuple([Side, Decimal('price'), Decimal('new size at the price; 0 removes the level')]);

/** Fields of an order event only its owner sees on the user channel. */
const ownerOnly = {
  user_id: Type.Optional(Type.String()),
  client_oid: Type.Optional(Nullable(Type.String())),
  time_in_force: Type.Optional(Type.String()),
  post_only: Type.Optional(Type.Boolean()),
  stp: Type.Optional(Type.String()),
  filled_size: Type.Optional(Decimal('filled so far')),
  executed_value: Type.Optional(Decimal('quote traded, fees excluded')),
  fill_fees: Type.Optional(Decimal('fees paid')),
  cancel_reason: Type.Optional(Nullable(Type.String())),
};

const Match = closed(
  {
    type: literal('match'),
    product_id: ProductId,
    trade_id: Id('the trade'),
    maker_order_id: Id('the resting order'),
    taker_order_id: Id('the incoming order'),
    side: Side,
    price: Decimal('price'),
    size: Decimal('size'),
    sequence: Sequence,
    time: Time,
    user_id: Type.Optional(Type.String({ description: 'user channel: whose side this is' })),
    fee: Type.Optional(Decimal('user channel: the fee of this side')),
    liquidity: Type.Optional(Type.Union([Type.Literal('M'), Type.Literal('T')])),
  },
  'A trade (channels matches, full, user; `side` is the maker side).',
);

export const ServerMessages = {
  subscriptions: closed(
    { type: literal('subscriptions'), channels: Type.Array(closed({ name: ChannelName, product_ids: Type.Array(Type.String()) }, 'a channel and its products')) },
    'The subscriptions now held, after each (un)subscribe.',
  ),
  error: closed(
    {
      type: literal('error'),
      message: Type.String(),
      code: Type.String({ description: 'stable code, e.g. WS.INVALID_SUBSCRIPTION; for a request, the code REST answers' }),
      request_id: Type.Optional(Type.Union([RequestId, Type.Null()], { description: 'a refused request: its id (null when the id itself is missing or invalid)' })),
      status: Type.Optional(Type.Integer({ description: 'a refused request: the HTTP status REST answers the same refusal with' })),
      retry_after: Type.Optional(Type.Integer({ minimum: 1, description: 'rate limited: seconds to wait, as REST\'s Retry-After' })),
    },
    'A refused message; the connection stays open. A refused request changed nothing.',
  ),
  order_response: closed(
    { type: literal('order_response'), request_id: RequestId, order: Order },
    'The order a place_order placed, as REST\'s POST /orders answers it; sent once the order is durable in the journal and applied.',
  ),
  cancel_order_response: closed(
    { type: literal('cancel_order_response'), request_id: RequestId, order_id: Type.String({ description: 'the canceled order' }) },
    'A cancel_order done: the order is canceled, durably.',
  ),
  cancel_all_response: closed(
    { type: literal('cancel_all_response'), request_id: RequestId, order_ids: Type.Array(Type.String(), { description: 'the canceled orders' }) },
    'A cancel_all done: the orders it canceled, durably.',
  ),
  heartbeat: closed(
    { type: literal('heartbeat'), product_id: ProductId, sequence: Type.Integer({ description: "the book's sequence" }), last_trade_id: Type.Integer(), time: Time },
    'Once a second per product (channel heartbeat).',
  ),
  ticker: closed(
    {
      type: literal('ticker'),
      product_id: ProductId,
      sequence: Sequence,
      trade_id: Id('the trade'),
      price: Decimal('last price'),
      open_24h: Decimal('price 24 hours ago'),
      volume_24h: Decimal('base traded in 24 hours'),
      low_24h: Decimal('lowest price in 24 hours'),
      high_24h: Decimal('highest price in 24 hours'),
      volume_30d: Decimal('base traded in 30 days'),
      best_bid: Nullable(Decimal('best bid')),
      best_bid_size: Nullable(Decimal('size at the best bid')),
      best_ask: Nullable(Decimal('best ask')),
      best_ask_size: Nullable(Decimal('size at the best ask')),
      side: Side,
      last_size: Decimal('size of the trade'),
      time: Time,
    },
    'After every trade (channel ticker).',
  ),
  snapshot: closed(
    { type: literal('snapshot'), product_id: ProductId, sequence: Type.Integer({ description: "the book's sequence" }), bids: Type.Array(BookLevel), asks: Type.Array(BookLevel) },
    'The whole level-2 book when a level2 or level2_batch subscription starts, or after a gap.',
  ),
  l2update: closed(
    { type: literal('l2update'), product_id: ProductId, sequence: Type.Integer({ description: "the book's sequence after the changes" }), changes: Type.Array(Change), time: Time },
    'Level-2 changes: each book change (level2), or every 50 ms what changed since (level2_batch).',
  ),
  match: Match,
  received: closed(
    {
      type: literal('received'),
      product_id: ProductId,
      sequence: Sequence,
      order_id: Id('the order'),
      order_type: Type.Union([Type.Literal('limit'), Type.Literal('market')]),
      side: Side,
      price: Type.Optional(Nullable(Decimal('limit price'))),
      size: Type.Optional(Nullable(Decimal('size'))),
      funds: Type.Optional(Nullable(Decimal('market buy by funds'))),
      time: Time,
      ...ownerOnly,
    },
    'An order was accepted (channels full, user).',
  ),
  open: closed(
    { type: literal('open'), product_id: ProductId, sequence: Sequence, order_id: Id('the order'), side: Side, price: Decimal('limit price'), remaining_size: Decimal('size on the book'), time: Time, ...ownerOnly },
    'An order rests on the book (channels full, user).',
  ),
  done: closed(
    {
      type: literal('done'),
      product_id: ProductId,
      sequence: Sequence,
      order_id: Id('the order'),
      side: Side,
      reason: Type.Union([Type.Literal('filled'), Type.Literal('canceled')]),
      price: Type.Optional(Nullable(Decimal('limit price'))),
      remaining_size: Type.Optional(Nullable(Decimal('size left unfilled'))),
      order_type: Type.Optional(Type.String()),
      time: Time,
      ...ownerOnly,
    },
    'An order left the book or ended (channels full, user).',
  ),
  change: closed(
    {
      type: literal('change'),
      product_id: ProductId,
      sequence: Sequence,
      order_id: Id('the order'),
      side: Side,
      reason: Type.String({ description: 'STP (full) or self_trade (user): self-trade prevention shrank it' }),
      price: Decimal('limit price'),
      old_size: Decimal('size before'),
      new_size: Decimal('size after'),
      time: Time,
      ...ownerOnly,
    },
    'An order shrank without trading (channels full, user).',
  ),
  funds: closed(
    { type: literal('funds'), currency: Type.String(), available: Decimal('available'), hold: Decimal('held by open orders'), sequence: Sequence, time: Time },
    "A balance of the caller's changed (channel funds).",
  ),
  candles: closed(
    {
      type: literal('candles'),
      product_id: ProductId,
      sequence: Sequence,
      granularity: Type.Literal(60),
      candle: Type.Tuple([Type.Integer({ description: 'bucket start, epoch seconds' }), Decimal('low'), Decimal('high'), Decimal('open'), Decimal('close'), Decimal('volume')]),
    },
    'The one-minute candle a trade changed, once the read side stored it (channel candles).',
  ),
};

export type ServerMessageName = keyof typeof ServerMessages;
