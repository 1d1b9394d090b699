import { Type } from '@sinclair/typebox';
import { DomainError } from '@sd/domain/errors';
import { PRODUCT_STATUSES, type Product } from '@sd/domain/exchange/product';
import { defineRoute, type ApiRequest, type ApiRoute } from '@sd/http/api-route';
import { StringEnum } from '@sd/http/schema-types';
import type { MarketQueries } from '../../usecase/read/market-queries';
import type { MarketAdminUseCase } from '../../usecase/write/market-admin.usecase';
import { productJson } from './api-format';
import * as Schema from './api-schemas';
import type { Authorize } from './exchange.routes';

export interface AdminRoutesOptions {
  admin: MarketAdminUseCase;
  market: MarketQueries;
  /** Any signed-in caller; the routes then check `isAdmin`. */
  signedIn: Authorize;
  /** Whether the user is one of the exchange's admins. */
  isAdmin: (userId: string) => Promise<boolean>;
}

const tags = ['admin'];
// Shapes only: the request parser checks every value against the catalog before anything is sequenced.
const Rate = Type.String({ maxLength: 40, description: 'a fraction: 0.001 is 0.1 %' });
const Status = StringEnum(PRODUCT_STATUSES);
const NewProduct = Type.Object({
  id: Type.String({ maxLength: 64, examples: ['BTC-ETH'] }),
  base_currency: Type.String({ maxLength: 16 }),
  quote_currency: Type.String({ maxLength: 16 }),
  quote_increment: Type.String({ maxLength: 40 }),
  base_increment: Type.String({ maxLength: 40 }),
  base_min_size: Type.String({ maxLength: 40 }),
  min_market_funds: Type.String({ maxLength: 40 }),
  max_market_funds: Type.String({ maxLength: 40 }),
  maker_fee_rate: Rate,
  taker_fee_rate: Rate,
  status: Type.Optional(Status),
});

/**
 * The market's admin API under `/admin`: products and currencies, listing a product, its fees
 * and its status; for the exchange's admins only (403 for anyone else signed in). Bodies use
 * the names of the product JSON.
 */
export function adminRoutes({ admin, market, signedIn, isAdmin }: AdminRoutesOptions): ApiRoute[] {
  const adminOf = async (request: ApiRequest, headers: Record<string, string>): Promise<string> => {
    const { userId } = await signedIn(request, headers);
    if (!(await isAdmin(userId))) throw new DomainError('EXCHANGE.ADMIN_ONLY', 'forbidden', 'only an exchange admin may do this');
    return userId;
  };
  return [
    defineRoute({
      method: 'GET',
      path: '/admin/products',
      summary: 'Every product, for the admin',
      tags,
      security: 'signed-in',
      schema: { response: Type.Array(Schema.Product) },
      handle: async (request, reply) => {
        await adminOf(request, reply.headers);
        return market.products().map(productJson);
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/admin/currencies',
      summary: 'Every currency and its scale',
      tags,
      security: 'signed-in',
      schema: { response: Type.Array(Type.Object({ id: Type.String(), scale: Type.Integer({ description: 'decimal places of the minor unit' }) })) },
      handle: async (request, reply) => {
        await adminOf(request, reply.headers);
        return market.currencies().map(({ id, scale }) => ({ id, scale }));
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/admin/products',
      summary: 'List a product',
      tags,
      security: 'signed-in',
      status: 201,
      schema: { body: NewProduct, response: Schema.Product },
      handle: async (request, reply) => {
        const userId = await adminOf(request, reply.headers);
        const body = request.body;
        const product: Product = {
          id: body.id,
          baseCurrency: body.base_currency,
          quoteCurrency: body.quote_currency,
          priceIncrement: body.quote_increment,
          sizeIncrement: body.base_increment,
          minSize: body.base_min_size,
          minFunds: body.min_market_funds,
          maxNotional: body.max_market_funds,
          makerFeeRate: body.maker_fee_rate,
          takerFeeRate: body.taker_fee_rate,
          status: body.status ?? 'online',
        };
        return productJson(await admin.listProduct(userId, product));
      },
    }),
    defineRoute({
      method: 'PUT',
      path: '/admin/products/:productId/fees',
      summary: "Set a product's fee rates",
      tags,
      security: 'signed-in',
      schema: { params: Schema.ProductPath, body: Type.Object({ maker_fee_rate: Rate, taker_fee_rate: Rate }), response: Schema.Product },
      handle: async (request, reply) => {
        const userId = await adminOf(request, reply.headers);
        const fees = { makerFeeRate: request.body.maker_fee_rate, takerFeeRate: request.body.taker_fee_rate };
        return productJson(await admin.setFees(userId, request.params.productId, fees));
      },
    }),
    defineRoute({
      method: 'PUT',
      path: '/admin/products/:productId/status',
      summary: "Set a product's status",
      tags,
      security: 'signed-in',
      schema: { params: Schema.ProductPath, body: Type.Object({ status: Status }), response: Schema.Product },
      handle: async (request, reply) => {
        const userId = await adminOf(request, reply.headers);
        return productJson(await admin.setStatus(userId, request.params.productId, request.body.status));
      },
    }),
  ];
}
