import Big from 'big.js';
import type { ExchangeClient, ProductJson } from './client';
import { Grid } from './decimal';
import type { MarketSpec } from './load/order-mix';

/**
 * The generator's view of a product around `mid`: the grids, the mid snapped to the price
 * grid, and a minimum size that meets both the product's minimum size and its minimum funds
 * at the lowest price the flow uses (`spreadSteps` below the mid).
 */
export function marketSpec(product: ProductJson, mid: string, spreadSteps: number): MarketSpec {
  const price = new Grid(product.quote_increment);
  const size = new Grid(product.base_increment);
  const midSteps = price.stepsIn(mid);
  if (midSteps <= spreadSteps) throw new Error(`mid ${mid} must be more than ${spreadSteps} price steps of ${product.quote_increment} above zero`);
  const lowest = new Big(price.format(midSteps - spreadSteps));
  const minFunds = new Big(product.min_market_funds || '0');
  let byFunds = size.stepsAtLeast(minFunds.div(lowest).toString());
  // The division is rounded to 20 places; the product check is exact.
  while (lowest.times(size.format(byFunds)).lt(minFunds)) byFunds += 1;
  const minSizeSteps = Math.max(1, size.stepsAtLeast(product.base_min_size || product.base_increment), byFunds);
  return { productId: product.id, price, size, midSteps, minSizeSteps };
}

/** The product's mid: the book's if it has both sides, else the last trade, else `fallback`. */
export async function currentMid(client: ExchangeClient, productId: string, fallback: string | undefined): Promise<string> {
  const book = await client.book(productId);
  const bid = book.bids[0]?.[0];
  const ask = book.asks[0]?.[0];
  if (bid !== undefined && ask !== undefined) return new Big(bid).plus(ask).div(2).toString();
  const last = (await client.ticker(productId).catch(() => undefined))?.price;
  if (last) return last;
  if (fallback === undefined) throw new Error(`${productId} has no book and no trades yet: pass --mid`);
  return fallback;
}

export async function findProduct(client: ExchangeClient, productId: string): Promise<ProductJson> {
  const products = await client.products();
  const product = products.find((p) => p.id === productId);
  if (!product) throw new Error(`unknown product ${productId}; the exchange lists ${products.map((p) => p.id).join(', ')}`);
  return product;
}
