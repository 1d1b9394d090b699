import { Type } from '@sinclair/typebox';
import { defineRoute, type ApiRoute } from '@sd/http/api-route';
import type { Authorize } from '../http/exchange.routes';
import type { GitbitexApi } from './gitbitex-api';
import * as Schema from './gitbitex-schemas';

export interface GitbitexRoutesOptions {
  api: GitbitexApi;
  /** Any signed-in caller (the page's `accessToken` cookie). */
  signedIn: Authorize;
  /** Order entry and cancels: the `trade` permission and the per-user order limit. */
  trade: Authorize;
}

const market = ['gitbitex market data'];
const trading = ['gitbitex trading'];
const account = ['gitbitex account'];

/**
 * The REST API gitbitex-web calls (mounted under `/api`): products, candles, trades; orders
 * with their paging headers, cancels, balances by currency, deposit addresses, withdrawals and
 * the wallet's transactions. The users API
 * is the auth domain's (`gitbitexUsersRoutes`).
 */
export function gitbitexRoutes({ api, signedIn, trade }: GitbitexRoutesOptions): ApiRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/products',
      summary: 'Every product, with the scales the page formats with',
      tags: market,
      security: 'public',
      schema: { response: Type.Array(Schema.Product) },
      handle: () => api.products(),
    }),
    defineRoute({
      method: 'GET',
      path: '/products/:productId/candles',
      summary: 'Candles as numbers, newest first; one flat bar for a product that never traded',
      tags: market,
      security: 'public',
      schema: { params: Schema.ProductPath, query: Schema.CandlesQuery, response: Type.Array(Schema.Candle) },
      handle: (request) => api.candles(request.params.productId, request.query.granularity ?? 60),
    }),
    defineRoute({
      method: 'GET',
      path: '/products/:productId/trades',
      summary: 'The last 100 public trades, newest first',
      tags: market,
      security: 'public',
      schema: { params: Schema.ProductPath, response: Type.Array(Schema.Trade) },
      handle: (request) => api.trades(request.params.productId),
    }),
    defineRoute({
      method: 'POST',
      path: '/orders',
      summary: "Place an order from the page's form: numbers, snapped to the product's increments within float noise",
      tags: trading,
      security: 'signed-in',
      schema: { body: Schema.NewOrder, response: Schema.Order },
      handle: async (request, reply) => api.placeOrder((await trade(request, reply.headers)).userId, request.body),
    }),
    defineRoute({
      method: 'GET',
      path: '/orders',
      summary: "The caller's orders, newest first: open ones (status=open) or all; paged by gbe-after",
      tags: trading,
      security: 'signed-in',
      schema: { query: Schema.OrdersQuery, response: Schema.OrdersPage },
      handle: async (request, reply) => {
        const { productId, status, limit, after } = request.query;
        const statuses = status === undefined ? [] : [status].flat();
        const page = await api.orders((await signedIn(request, reply.headers)).userId, {
          productId,
          status: statuses.length > 0 && statuses.every((value) => value === 'open') ? 'open' : 'all',
          limit: limit ?? 30,
          after,
        });
        if (page.before !== null) reply.headers['gbe-before'] = page.before;
        if (page.after !== null) reply.headers['gbe-after'] = page.after;
        return { items: page.items };
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/orders/:orderId',
      summary: 'Cancel an order',
      tags: trading,
      security: 'signed-in',
      schema: { params: Schema.OrderPath, response: Type.Object({ id: Type.String() }) },
      handle: async (request, reply) => ({ id: await api.cancelOrder((await trade(request, reply.headers)).userId, request.params.orderId) }),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/orders',
      summary: "Cancel all the caller's open orders, of one product or all",
      tags: trading,
      security: 'signed-in',
      schema: { query: Schema.CancelAllQuery, response: Type.Array(Type.String({ description: 'a canceled order id' })) },
      handle: async (request, reply) => api.cancelAll((await trade(request, reply.headers)).userId, request.query.productId),
    }),
    defineRoute({
      method: 'GET',
      path: '/accounts',
      summary: "The caller's balances: a row for every requested currency, zeros included",
      tags: account,
      security: 'signed-in',
      schema: { query: Schema.AccountsQuery, response: Type.Array(Schema.Account) },
      handle: async (request, reply) => {
        const { currency } = request.query;
        return api.accounts((await signedIn(request, reply.headers)).userId, currency === undefined ? [] : [currency].flat());
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/wallets/:currency/address',
      summary: "The caller's deposit address of a currency (simulated: the same every time, the caller's own)",
      tags: account,
      security: 'signed-in',
      schema: { params: Schema.CurrencyPath, response: Schema.DepositAddress },
      handle: async (request, reply) => api.depositAddress((await signedIn(request, reply.headers)).userId, request.params.currency),
    }),
    defineRoute({
      method: 'POST',
      path: '/wallets/:currency/withdrawal',
      summary: 'Withdraw to an address: sequenced like an order, settled when applied (no fee)',
      tags: account,
      security: 'signed-in',
      schema: { params: Schema.CurrencyPath, body: Schema.NewWithdrawal, response: Schema.WalletTransaction },
      handle: async (request, reply) => api.withdraw((await trade(request, reply.headers)).userId, request.params.currency, request.body),
    }),
    defineRoute({
      method: 'GET',
      path: '/wallets/:currency/transactions',
      summary: "The caller's deposits and withdrawals of a currency, newest first",
      tags: account,
      security: 'signed-in',
      schema: { params: Schema.CurrencyPath, response: Type.Array(Schema.WalletTransaction) },
      handle: async (request, reply) => api.transactions((await signedIn(request, reply.headers)).userId, request.params.currency),
    }),
  ];
}
