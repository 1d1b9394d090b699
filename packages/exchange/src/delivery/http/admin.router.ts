import { Router, type RequestHandler, type Response } from 'express';
import { DomainError, invalidInput } from '@sd/domain/errors';
import type { Product, ProductStatus } from '@sd/domain/exchange/product';
import type { MarketQueries } from '../../usecase/read/market-queries';
import type { MarketAdminUseCase } from '../../usecase/write/market-admin.usecase';
import { productJson } from './api-format';
import { objectBody } from './exchange.router';

export interface AdminRouterOptions {
  admin: MarketAdminUseCase;
  market: MarketQueries;
  /** Authenticates the caller and leaves the principal for `userOf`. */
  authenticate: RequestHandler;
  userOf: (res: Response) => string;
  /** Whether the user is one of the exchange's admins. */
  isAdmin: (userId: string) => Promise<boolean>;
}

/**
 * The market's admin API, mounted at `/api/admin`: products and currencies, listing a
 * product, its fees and its status. Bodies use the names of the product JSON; the request
 * parser checks every value against the catalog before anything is sequenced.
 */
export function createAdminRouter({ admin, market, authenticate, userOf, isAdmin }: AdminRouterOptions): Router {
  const router = Router();
  router.use(authenticate, async (_req, res, next) => {
    if (!(await isAdmin(userOf(res)))) throw new DomainError('EXCHANGE.ADMIN_ONLY', 'forbidden', 'only an exchange admin may do this');
    next();
  });

  router.get('/products', (_req, res) => void res.json(market.products().map(productJson)));
  router.get('/currencies', (_req, res) => void res.json(market.currencies().map(({ id, scale }) => ({ id, scale }))));
  router.post('/products', async (req, res) => {
    const body = strings(objectBody(req.body), PRODUCT_FIELDS);
    const product: Product = {
      id: body.id!,
      baseCurrency: body.base_currency!,
      quoteCurrency: body.quote_currency!,
      priceIncrement: body.quote_increment!,
      sizeIncrement: body.base_increment!,
      minSize: body.base_min_size!,
      minFunds: body.min_market_funds!,
      maxNotional: body.max_market_funds!,
      makerFeeRate: body.maker_fee_rate!,
      takerFeeRate: body.taker_fee_rate!,
      status: (body.status ?? 'online') as ProductStatus,
    };
    res.status(201).json(productJson(await admin.listProduct(userOf(res), product)));
  });
  router.put('/products/:productId/fees', async (req, res) => {
    const body = strings(objectBody(req.body), ['maker_fee_rate', 'taker_fee_rate']);
    const fees = { makerFeeRate: body.maker_fee_rate!, takerFeeRate: body.taker_fee_rate! };
    res.json(productJson(await admin.setFees(userOf(res), String(req.params.productId), fees)));
  });
  router.put('/products/:productId/status', async (req, res) => {
    const { status } = strings(objectBody(req.body), ['status']);
    res.json(productJson(await admin.setStatus(userOf(res), String(req.params.productId), status as ProductStatus)));
  });
  return router;
}

const PRODUCT_FIELDS = [
  'id',
  'base_currency',
  'quote_currency',
  'quote_increment',
  'base_increment',
  'base_min_size',
  'min_market_funds',
  'max_market_funds',
  'maker_fee_rate',
  'taker_fee_rate',
] as const;

/** The named fields, each a string (`status`, when present, too). */
function strings<K extends string>(body: Record<string, unknown>, required: readonly K[]): Record<K | 'status', string | undefined> {
  const missing = required.filter((field) => typeof body[field] !== 'string');
  if (missing.length > 0) throw invalidInput(`${missing.join(', ')} must be strings`);
  if (body.status !== undefined && typeof body.status !== 'string') throw invalidInput('status must be a string');
  return body as Record<K | 'status', string | undefined>;
}
