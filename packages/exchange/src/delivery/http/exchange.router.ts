import { Router, type RequestHandler, type Response } from 'express';
import type { LeanHeaders, LeanRequest, LeanRoute } from '@sd/http/lean-routes';
import Big from 'big.js';
import { invalidInput } from '@sd/domain/errors';
import type { AccountQueries } from '../../usecase/read/account-queries';
import type { BookLevel, MarketQueries } from '../../usecase/read/market-queries';
import type { QuotationQueries } from '../../usecase/read/quotation/quotation-queries';
import type { NewOrder, TradingUseCase } from '../../usecase/write/trading.usecase';
import { accountJson, fillJson, isoTime, orderJson, productJson, tradeJson } from './api-format';

export interface ExchangeRouterOptions {
  trading: TradingUseCase;
  market: MarketQueries;
  accounts: AccountQueries;
  quotation: QuotationQueries;
  /** Authenticates the caller (session or signed API key) and leaves the principal for `userOf`. */
  authenticate: RequestHandler;
  /** Refuses principals without the `trade` permission (view-only API keys). */
  requireTrade: RequestHandler;
  userOf: (res: Response) => string;
  /** Rate limit of order entry, cancels and the faucet, per user (mounted after `authenticate`). */
  limitTrading: RequestHandler;
  /** Largest deposit one faucet call makes, in whole units; absent = no faucet. */
  faucet?: { maxAmount: string };
}

const CLIENT_PREFIX = 'client:';

export interface OrderEntryOptions {
  trading: TradingUseCase;
  /** Where the API is mounted (`/api`). */
  mountPath: string;
  /**
   * Authenticates the caller, checks the `trade` permission and counts the request against
   * the per-user order limit (adding its headers); answers the user id.
   */
  authorizeTrade: (request: LeanRequest, headers: LeanHeaders) => Promise<string>;
}

/**
 * Order entry and cancels, the hot path of the API: lean routes served ahead of express
 * (see `createHttpApp`), same errors and Coinbase shapes as the router below.
 */
export function createOrderEntryRoutes({ trading, mountPath, authorizeTrade }: OrderEntryOptions): LeanRoute[] {
  return [
    {
      method: 'POST',
      path: `${mountPath}/orders`,
      handle: async (request, headers) => {
        const userId = await authorizeTrade(request, headers);
        const order = await trading.placeOrder(userId, newOrder(objectBody(request.body)));
        return orderJson(order);
      },
    },
    {
      method: 'DELETE',
      path: `${mountPath}/orders/:orderId`,
      handle: async (request, headers) => {
        const userId = await authorizeTrade(request, headers);
        const orderId = request.params.orderId!;
        return orderId.startsWith(CLIENT_PREFIX)
          ? trading.cancelByClientOid(userId, orderId.slice(CLIENT_PREFIX.length))
          : trading.cancelOrder(userId, orderId);
      },
    },
    {
      method: 'DELETE',
      path: `${mountPath}/orders`,
      handle: async (request, headers) => {
        const userId = await authorizeTrade(request, headers);
        return trading.cancelAll(userId, optionalString('product_id', request.query.product_id));
      },
    },
  ];
}

/** The exchange's REST API under `/api` (products, books, accounts, order queries, faucet); order entry is `createOrderEntryRoutes`. */
export function createExchangeRouter(options: ExchangeRouterOptions): Router {
  const { trading, market, accounts, quotation, authenticate, requireTrade, userOf, limitTrading } = options;
  const trade = [authenticate, requireTrade, limitTrading];
  const router = Router();

  router.get('/products', (_req, res) => void res.json(market.products().map(productJson)));
  router.get('/products/:productId', (req, res) => void res.json(productJson(market.product(req.params.productId!))));
  router.get('/products/:productId/book', (req, res) => {
    const level = bookLevel(req.query.level);
    const book = market.book(req.params.productId!, level);
    res.json({ sequence: book.bookSequence, bids: book.bids, asks: book.asks, time: isoTime(Date.now()) });
  });

  router.get('/products/:productId/trades', async (req, res) => {
    const productId = String(req.params.productId);
    const trades = await quotation.trades(productId, { limit: limit(req.query.limit), after: optionalId('after', req.query.after) });
    res.json(trades.map(tradeJson));
  });
  router.get('/products/:productId/candles', async (req, res) => {
    const granularity = req.query.granularity === undefined ? 60 : integer('granularity', req.query.granularity);
    const rows = await quotation.candles(String(req.params.productId), {
      granularity,
      start: optionalTime('start', req.query.start),
      end: optionalTime('end', req.query.end),
    });
    res.json(rows);
  });
  router.get('/products/:productId/stats', async (req, res) => {
    res.json(await quotation.stats24h(String(req.params.productId)));
  });
  router.get('/products/:productId/ticker', async (req, res) => {
    const productId = String(req.params.productId);
    const top = market.book(productId, 1);
    const [last, stats] = await Promise.all([quotation.lastTrade(productId), quotation.stats24h(productId)]);
    res.json({
      trade_id: last === null ? null : String(last.tradeId),
      price: last?.price ?? null,
      size: last?.size ?? null,
      bid: top.bids[0]?.[0] ?? null,
      ask: top.asks[0]?.[0] ?? null,
      volume: stats.volume,
      time: isoTime(last?.time ?? Date.now()),
    });
  });

  router.get('/accounts', authenticate, async (_req, res) => {
    res.json((await accounts.accounts(userOf(res))).map(accountJson));
  });
  router.get('/accounts/:currency', authenticate, async (req, res) => {
    res.json(accountJson(await accounts.account(userOf(res), String(req.params.currency))));
  });

  router.get('/orders', authenticate, async (req, res) => {
    const orders = await accounts.listOrders(userOf(res), {
      status: oneOf('status', req.query.status ?? 'all', ['open', 'done', 'all'] as const),
      productId: optionalString('product_id', req.query.product_id),
      limit: limit(req.query.limit),
      after: optionalId('after', req.query.after),
    });
    res.json(orders.map(orderJson));
  });
  router.get('/orders/:orderId', authenticate, async (req, res) => {
    const orderId = String(req.params.orderId);
    const ref = orderId.startsWith(CLIENT_PREFIX) ? { clientOid: orderId.slice(CLIENT_PREFIX.length) } : { orderId };
    res.json(orderJson(await accounts.getOrder(userOf(res), ref)));
  });
  router.get('/fills', authenticate, async (req, res) => {
    const fills = await accounts.fills(userOf(res), {
      orderId: optionalId('order_id', req.query.order_id),
      productId: optionalString('product_id', req.query.product_id),
      limit: limit(req.query.limit),
      after: optionalId('after', req.query.after),
    });
    res.json(fills.map(fillJson));
  });
  if (options.faucet) {
    const max = new Big(options.faucet.maxAmount);
    router.post('/faucet', ...trade, async (req, res) => {
      const { currency, amount } = objectBody(req.body);
      if (typeof currency !== 'string' || typeof amount !== 'string') throw invalidInput('currency and amount must be strings');
      if (/^\d+(\.\d+)?$/.test(amount) && new Big(amount).gt(max)) throw invalidInput(`the faucet gives at most ${max.toFixed()} per call`);
      await trading.deposit(userOf(res), currency, amount);
      res.json(accountJson(await accounts.account(userOf(res), currency)));
    });
  }
  return router;
}

/**
 * The Coinbase body of a new order, renamed. Types are not checked here: the request parser
 * checks every field of a place request (type, format, increments) before anything is sequenced.
 */
function newOrder(body: Record<string, unknown>): NewOrder {
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
  } as NewOrder;
}

export function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidInput('the body must be a JSON object');
  return body as Record<string, unknown>;
}

function bookLevel(value: unknown): BookLevel {
  if (value === undefined) return 1;
  if (value === '1' || value === '2' || value === '3') return Number(value) as BookLevel;
  throw invalidInput('level must be 1, 2 or 3');
}

function limit(value: unknown): number {
  if (value === undefined) return 100;
  if (typeof value !== 'string' || !/^\d{1,4}$/.test(value) || Number(value) < 1 || Number(value) > 1000) {
    throw invalidInput('limit must be an integer from 1 to 1000');
  }
  return Number(value);
}

function optionalString(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) throw invalidInput(`${name} must be a short string`);
  return value;
}

function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) throw invalidInput(`${name} must be one of ${allowed.join(', ')}`);
  return value as T;
}

function integer(name: string, value: unknown): number {
  if (typeof value !== 'string' || !/^\d{1,16}$/.test(value)) throw invalidInput(`${name} must be a whole number`);
  return Number(value);
}

function optionalId(name: string, value: unknown): number | undefined {
  return value === undefined ? undefined : integer(name, value);
}

/** Epoch seconds or an ISO-8601 time, as Coinbase accepts both. */
function optionalTime(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && /^\d{1,12}$/.test(value)) return Number(value);
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) throw invalidInput(`${name} must be epoch seconds or an ISO-8601 time`);
  return Math.floor(ms / 1000);
}
