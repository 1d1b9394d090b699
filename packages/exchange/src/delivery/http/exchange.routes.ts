import { Type, type Static } from '@sinclair/typebox';
import Big from 'big.js';
import type { Principal } from '@sd/domain/auth/principal';
import { invalidInput } from '@sd/domain/errors';
import { defineRoute, type ApiRequest, type ApiRoute } from '@sd/http/api-route';
import type { AccountQueries } from '../../usecase/read/account-queries';
import type { BookLevel, MarketQueries } from '../../usecase/read/market-queries';
import type { QuotationQueries } from '../../usecase/read/quotation/quotation-queries';
import type { FundsUseCase } from '../../usecase/write/funds.usecase';
import type { NewOrder, TradingUseCase } from '../../usecase/write/trading.usecase';
import { asyncApiDocument } from '../ws/asyncapi';
import { accountJson, currencyJson, fillJson, isoTime, orderJson, pageHeaders, productJson, tradeJson } from './api-format';
import * as Schema from './api-schemas';

/** Authenticates a request and answers its principal, with the route's permission and limit checked (see `authorizer` in @sd/auth). */
export type Authorize = (request: ApiRequest, headers: Record<string, string>) => Promise<Principal>;

export interface ExchangeRoutesOptions {
  trading: TradingUseCase;
  funds: FundsUseCase;
  market: MarketQueries;
  accounts: AccountQueries;
  quotation: QuotationQueries;
  /** Any signed-in caller (view permission is enough). */
  signedIn: Authorize;
  /** Order entry, cancels and the faucet: the `trade` permission and the per-user order limit. */
  trade: Authorize;
  /** The sequence the read side (trades, candles, orders, fills) has projected up to: market-data answers are cached per value. */
  readSideCheckpoint: () => Promise<number>;
  /** Largest deposit one faucet call makes, in whole units; absent = no faucet. */
  faucet?: { maxAmount: string };
}

const CLIENT_PREFIX = 'client:';
const market = ['market data'];
const trading = ['trading'];
const account = ['account'];

/**
 * The exchange's REST API (mounted under `/api`): products, books, trades, candles, stats and
 * tickers; accounts, orders and fills; order entry, cancels and the faucet. Public market
 * data is serialized once per change of what it shows (the book's sequence, the read side's
 * checkpoint) and answered with an ETag.
 */
export function exchangeRoutes(options: ExchangeRoutesOptions): ApiRoute[] {
  const { trading: orders, funds, market: markets, accounts, quotation, signedIn, trade } = options;
  const checkpoint = coalesced(options.readSideCheckpoint);
  const minute = (): number => Math.floor(Date.now() / 60_000);
  const userOf = async (authorize: Authorize, request: ApiRequest, headers: Record<string, string>): Promise<string> => (await authorize(request, headers)).userId;

  // Trade pages are cached per read-side checkpoint; their cursors (CB-BEFORE, CB-AFTER) with them.
  const tradePageCursors = new Map<string, { version: number; headers: Record<string, string> }>();
  const asyncApi = asyncApiDocument();

  const routes = [
    defineRoute({
      method: 'GET',
      path: '/time',
      summary: "The server's time, as Coinbase answers it (ISO-8601 and epoch seconds)",
      tags: market,
      security: 'public',
      schema: { response: Schema.ServerTime },
      handle: () => {
        const now = Date.now();
        return { iso: isoTime(now), epoch: now / 1000 };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/currencies',
      summary: 'Every currency, with its minor unit (max_precision)',
      tags: market,
      security: 'public',
      schema: { response: Type.Array(Schema.Currency) },
      handle: () => markets.currencies().map((currency, index) => currencyJson(currency, index)),
    }),
    defineRoute({
      method: 'GET',
      path: '/currencies/:currencyId',
      summary: 'One currency',
      tags: market,
      security: 'public',
      schema: { params: Schema.CurrencyIdPath, response: Schema.Currency },
      handle: (request) => {
        const currency = markets.currency(request.params.currencyId);
        return currencyJson(currency, markets.currencies().indexOf(currency));
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/asyncapi.json',
      summary: 'The AsyncAPI 3 document of the WebSocket feed at /ws',
      tags: ['documents'],
      security: 'public',
      schema: { response: Type.Unsafe<Record<string, unknown>>({ type: 'object', additionalProperties: true }) },
      handle: () => asyncApi,
    }),
    defineRoute({
      method: 'GET',
      path: '/products',
      summary: 'Every product with its increments, limits and fees',
      tags: market,
      security: 'public',
      schema: { response: Type.Array(Schema.Product) },
      // Not cached: admins list products and change their fees and status at any time.
      handle: () => markets.products().map(productJson),
    }),
    defineRoute({
      method: 'GET',
      path: '/products/:productId',
      summary: 'One product',
      tags: market,
      security: 'public',
      schema: { params: Schema.ProductPath, response: Schema.Product },
      handle: (request) => productJson(markets.product(request.params.productId)),
    }),
    defineRoute({
      method: 'GET',
      path: '/products/:productId/book',
      summary: 'The order book at level 1 (best bid and ask), 2 (every price level) or 3 (every order)',
      tags: market,
      security: 'public',
      schema: { params: Schema.ProductPath, query: Schema.BookQuery, response: Schema.Book },
      handle: (request, reply) => {
        const { productId } = request.params;
        const level = (request.query.level ?? 1) as BookLevel;
        return reply.cached(`${productId}:${level}`, markets.bookSequence(productId), () => {
          const book = markets.book(productId, level);
          return { sequence: book.bookSequence, bids: book.bids, asks: book.asks, time: isoTime(Date.now()) };
        });
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/products/:productId/trades',
      summary: 'Public trades, newest first; paged by trade id (CB-BEFORE, CB-AFTER)',
      tags: market,
      security: 'public',
      schema: { params: Schema.ProductPath, query: Schema.TradesQuery, response: Type.Array(Schema.PublicTrade) },
      handle: async (request, reply) => {
        const { productId } = request.params;
        const { limit, after, before } = request.query;
        const key = `${productId}:${limit}:${after}:${before}`;
        const version = await checkpoint();
        const answer = await reply.cached(key, version, async () => {
          const trades = await quotation.trades(productId, { limit, after, before });
          const headers: Record<string, string> = {};
          pageHeaders(headers, trades, (t) => t.tradeId);
          tradePageCursors.delete(key); // re-inserted last: the map stays bounded like the answer cache
          tradePageCursors.set(key, { version, headers });
          if (tradePageCursors.size > 256) tradePageCursors.delete(tradePageCursors.keys().next().value!);
          return trades.map(tradeJson);
        });
        const cursors = tradePageCursors.get(key);
        if (cursors?.version === version) Object.assign(reply.headers, cursors.headers);
        return answer;
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/products/:productId/candles',
      summary: 'Candles, newest first, at most 300',
      tags: market,
      security: 'public',
      schema: { params: Schema.ProductPath, query: Schema.CandlesQuery, response: Type.Array(Schema.Candle) },
      handle: async (request, reply) => {
        const { productId } = request.params;
        const granularity = request.query.granularity ?? 60;
        const start = epochSeconds('start', request.query.start);
        const end = epochSeconds('end', request.query.end);
        return reply.cached(`${productId}:${granularity}:${start}:${end}`, await checkpoint(), () => quotation.candles(productId, { granularity, start, end }));
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/products/:productId/stats',
      summary: 'Rolling 24 h open, high, low, last and volume, and 30 days of volume',
      tags: market,
      security: 'public',
      schema: { params: Schema.ProductPath, response: Schema.Stats },
      handle: async (request, reply) => {
        const { productId } = request.params;
        return reply.cached(productId, `${await checkpoint()}:${minute()}`, async () => {
          const [stats, volume30d] = await Promise.all([quotation.stats24h(productId), quotation.volume30d(productId)]);
          return { ...stats, volume_30day: volume30d };
        });
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/products/:productId/ticker',
      summary: 'Last trade, best bid and ask, 24 h volume',
      tags: market,
      security: 'public',
      schema: { params: Schema.ProductPath, response: Schema.Ticker },
      handle: async (request, reply) => {
        const { productId } = request.params;
        const version = `${markets.bookSequence(productId)}:${await checkpoint()}:${minute()}`;
        return reply.cached(productId, version, async () => {
          const top = markets.book(productId, 1);
          const [last, stats] = await Promise.all([quotation.lastTrade(productId), quotation.stats24h(productId)]);
          return {
            trade_id: last === null ? null : String(last.tradeId),
            price: last?.price ?? null,
            size: last?.size ?? null,
            bid: top.bids[0]?.[0] ?? null,
            ask: top.asks[0]?.[0] ?? null,
            volume: stats.volume,
            time: isoTime(last?.time ?? Date.now()),
          };
        });
      },
    }),

    defineRoute({
      method: 'GET',
      path: '/accounts',
      summary: "The caller's balance in every currency",
      tags: account,
      security: 'signed-in',
      schema: { response: Type.Array(Schema.Account) },
      handle: async (request, reply) => (await accounts.accounts(await userOf(signedIn, request, reply.headers))).map(accountJson),
    }),
    defineRoute({
      method: 'GET',
      path: '/accounts/:currency',
      summary: "The caller's balance in one currency",
      tags: account,
      security: 'signed-in',
      schema: { params: Schema.CurrencyPath, response: Schema.Account },
      handle: async (request, reply) => accountJson(await accounts.account(await userOf(signedIn, request, reply.headers), request.params.currency)),
    }),
    defineRoute({
      method: 'GET',
      path: '/orders',
      summary: "The caller's orders, newest first: open ones unless status says (repeatable; all for every order); paged by order id",
      tags: account,
      security: 'signed-in',
      schema: { query: Schema.OrdersQuery, response: Type.Array(Schema.Order) },
      handle: async (request, reply) => {
        const { status: statuses, product_id: productId, limit, after, before } = request.query;
        const userId = await userOf(signedIn, request, reply.headers);
        const status = listedStatus(statuses);
        const list = status === null ? [] : await accounts.listOrders(userId, { status, productId, limit, after, before });
        pageHeaders(reply.headers, list, (order) => order.id);
        return list.map(orderJson);
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/orders/:orderId',
      summary: 'One of the caller’s orders, by id or by client:<client_oid>',
      tags: account,
      security: 'signed-in',
      schema: { params: Schema.OrderPath, response: Schema.Order },
      handle: async (request, reply) => {
        const userId = await userOf(signedIn, request, reply.headers);
        const { orderId } = request.params;
        const ref = orderId.startsWith(CLIENT_PREFIX) ? { clientOid: orderId.slice(CLIENT_PREFIX.length) } : { orderId };
        return orderJson(await accounts.getOrder(userId, ref));
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/fills',
      summary: "The caller's fills, newest first; paged by trade id",
      tags: account,
      security: 'signed-in',
      schema: { query: Schema.FillsQuery, response: Type.Array(Schema.Fill) },
      handle: async (request, reply) => {
        const { order_id: orderId, product_id: productId, limit, after, before } = request.query;
        const fills = await accounts.fills(await userOf(signedIn, request, reply.headers), { orderId, productId, limit, after, before });
        pageHeaders(reply.headers, fills, (fill) => fill.tradeId);
        return fills.map(fillJson);
      },
    }),

    defineRoute({
      method: 'POST',
      path: '/orders',
      summary: 'Place an order; answered once the order is durable in the journal and applied',
      tags: trading,
      security: 'signed-in',
      schema: { body: Schema.NewOrder, response: Schema.Order },
      handle: async (request, reply) => {
        const userId = await userOf(trade, request, reply.headers);
        return orderJson(await orders.placeOrder(userId, newOrder(request.body)));
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/orders/:orderId',
      summary: 'Cancel an order by id or by client:<client_oid>; answers its id',
      tags: trading,
      security: 'signed-in',
      schema: { params: Schema.OrderPath, response: Type.String() },
      handle: async (request, reply) => {
        return cancelOrder(orders, await userOf(trade, request, reply.headers), request.params.orderId);
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/orders',
      summary: "Cancel every open order of the caller's (of one product); answers their ids",
      tags: trading,
      security: 'signed-in',
      schema: { query: Schema.CancelAllQuery, response: Type.Array(Type.String()) },
      handle: async (request, reply) => orders.cancelAll(await userOf(trade, request, reply.headers), request.query.product_id),
    }),
  ];
  if (options.faucet) routes.push(faucetRoute({ funds, accounts, trade, maxAmount: options.faucet.maxAmount }));
  return routes;
}

/** An order body (`POST /orders`, the WebSocket's `place_order`) as the trading use case takes it. */
export function newOrder(body: Static<typeof Schema.NewOrder>): NewOrder {
  return {
    productId: body.product_id,
    side: body.side,
    orderType: body.type ?? 'limit',
    price: body.price,
    size: body.size,
    funds: body.funds,
    timeInForce: body.time_in_force,
    postOnly: body.post_only,
    stp: body.stp,
    clientOid: body.client_oid,
  };
}

/** Cancels the caller's order named by its id or by `client:<client_oid>`; answers its id. */
export function cancelOrder(trading: TradingUseCase, userId: string, ref: string): Promise<string> {
  return ref.startsWith(CLIENT_PREFIX) ? trading.cancelByClientOid(userId, ref.slice(CLIENT_PREFIX.length)) : trading.cancelOrder(userId, ref);
}

/** `POST /faucet`: test funds, up to `maxAmount` of a currency per call; answers the account. */
export function faucetRoute(options: { funds: FundsUseCase; accounts: AccountQueries; trade: Authorize; maxAmount: string }): ApiRoute {
  const { funds, accounts, trade } = options;
  const max = new Big(options.maxAmount);
  return defineRoute({
    method: 'POST',
    path: '/faucet',
    summary: `Test funds: deposits up to ${max.toFixed()} of a currency; answers the account`,
    tags: account,
    security: 'signed-in',
    schema: { body: Schema.Deposit, response: Schema.Account },
    handle: async (request, reply) => {
      const { userId } = await trade(request, reply.headers);
      const { currency, amount } = request.body;
      if (new Big(amount).gt(max)) throw invalidInput(`the faucet gives at most ${max.toFixed()} per call`);
      await funds.deposit(userId, currency, amount);
      return accountJson(await accounts.account(userId, currency));
    },
  });
}

/**
 * What Coinbase's order statuses ask of the listing: open, pending, active and received are
 * open here; rejected orders are refusals, never listed (null: nothing to list).
 */
function listedStatus(statuses: Schema.OrderStatus | Schema.OrderStatus[] | undefined): 'open' | 'done' | 'all' | null {
  const wanted = new Set(statuses === undefined ? ['open', 'pending', 'active'] : ([] as string[]).concat(statuses));
  if (wanted.has('all')) return 'all';
  const open = ['open', 'pending', 'active', 'received'].some((status) => wanted.has(status));
  const done = wanted.has('done');
  return open && done ? 'all' : open ? 'open' : done ? 'done' : null;
}

/** The time of an ISO-8601 text or epoch seconds (the schema has checked the form), in epoch seconds. */
function epochSeconds(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw invalidInput(`${name} must be epoch seconds or an ISO-8601 time`);
  return Math.floor(ms / 1000);
}

/** One read at a time: callers that arrive while one is in flight share its answer. */
function coalesced<T>(read: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | null = null;
  return () =>
    (inFlight ??= read().finally(() => {
      inFlight = null;
    }));
}
