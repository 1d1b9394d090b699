import { Router, type RequestHandler, type Response } from 'express';
import { invalidInput } from '@sd/domain/errors';
import { objectBody } from '../http/exchange.router';
import type { GitbitexApi } from './gitbitex-api';

export interface GitbitexRouterOptions {
  api: GitbitexApi;
  /** Authenticates the caller (the page's `accessToken` cookie) and leaves the principal for `userOf`. */
  authenticate: RequestHandler;
  /** Refuses principals without the `trade` permission. */
  requireTrade: RequestHandler;
  userOf: (res: Response) => string;
  /** Rate limit of order entry, cancels and the faucet, per user (mounted after `authenticate`). */
  limitTrading: RequestHandler;
  /** Largest deposit one faucet call makes; absent = no faucet. */
  faucet?: { maxAmount: string };
}

const DEFAULT_LIMIT = 30;

/**
 * The REST API gitbitex-web calls (mounted under `/api`): products, candles, trades; orders
 * with their paging headers, cancels, balances by currency; and the test-funds faucet, the
 * page having no way to deposit.
 */
export function createGitbitexRouter({ api, authenticate, requireTrade, userOf, limitTrading, faucet }: GitbitexRouterOptions): Router {
  const trade = [authenticate, requireTrade, limitTrading];
  const router = Router();

  router.get('/products', (_req, res) => void res.json(api.products()));
  router.get('/products/:productId/candles', async (req, res) => {
    res.json(await api.candles(String(req.params.productId), req.query.granularity === undefined ? 60 : integer('granularity', req.query.granularity)));
  });
  router.get('/products/:productId/trades', async (req, res) => void res.json(await api.trades(String(req.params.productId))));

  router.post('/orders', ...trade, async (req, res) => void res.json(await api.placeOrder(userOf(res), objectBody(req.body))));
  router.get('/orders', authenticate, async (req, res) => {
    const page = await api.orders(userOf(res), {
      productId: optionalString('productId', req.query.productId),
      status: statusOf(req.query.status),
      limit: req.query.limit === undefined ? DEFAULT_LIMIT : limit(req.query.limit),
      after: req.query.after === undefined ? undefined : integer('after', req.query.after),
    });
    if (page.before !== null) res.setHeader('gbe-before', page.before);
    if (page.after !== null) res.setHeader('gbe-after', page.after);
    res.json({ items: page.items });
  });
  router.delete('/orders/:orderId', ...trade, async (req, res) => void res.json({ id: await api.cancelOrder(userOf(res), String(req.params.orderId)) }));
  router.delete('/orders', ...trade, async (req, res) => void res.json(await api.cancelAll(userOf(res), optionalString('productId', req.query.productId))));

  router.get('/accounts', authenticate, async (req, res) => void res.json(await api.accounts(userOf(res), strings('currency', req.query.currency))));
  router.get('/wallets/:currency/address', authenticate, (req, res) => void res.json(api.depositAddress(userOf(res), String(req.params.currency))));
  if (faucet) router.post('/faucet', ...trade, async (req, res) => void res.json(await api.faucet(userOf(res), objectBody(req.body), faucet.maxAmount)));
  return router;
}

/** `status=open` lists open orders; no status (the order history) every order. */
function statusOf(value: unknown): 'open' | 'all' {
  const statuses = strings('status', value);
  return statuses.length > 0 && statuses.every((status) => status === 'open') ? 'open' : 'all';
}

function strings(name: string, value: unknown): string[] {
  if (value === undefined) return [];
  const values = Array.isArray(value) ? value : [value];
  if (!values.every((entry) => typeof entry === 'string' && entry.length > 0 && entry.length <= 64)) throw invalidInput(`${name} must be short strings`);
  return values as string[];
}

function optionalString(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) throw invalidInput(`${name} must be a short string`);
  return value;
}

function integer(name: string, value: unknown): number {
  if (typeof value !== 'string' || !/^\d{1,16}$/.test(value)) throw invalidInput(`${name} must be a whole number`);
  return Number(value);
}

function limit(value: unknown): number {
  const n = integer('limit', value);
  if (n < 1 || n > 1000) throw invalidInput('limit must be an integer from 1 to 1000');
  return n;
}
