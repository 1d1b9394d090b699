import type { Product } from '@sd/domain/exchange/product';
import { DEFAULT_CURRENCIES, DEFAULT_PRODUCTS } from './default-products';
import { ProductCatalog } from './product-catalog';

const base = DEFAULT_PRODUCTS[0]!;
const build = (fields: Partial<Product>): ProductCatalog => new ProductCatalog(DEFAULT_CURRENCIES, [{ ...base, ...fields }]);

describe('ProductCatalog', () => {
  it('compiles the default market to exact integers', () => {
    const catalog = new ProductCatalog(DEFAULT_CURRENCIES, DEFAULT_PRODUCTS);
    expect(catalog.products.map((p) => [p.id, p.tickUnits, p.lotUnits, p.lotTickUnits, p.makerFeePpm, p.takerFeePpm])).toEqual([
      ['BTC-USDT', 10_000, 10_000, 1, 1000, 2000],
      ['ETH-USDT', 10_000, 10_000, 1, 1000, 2000],
      ['ETH-BTC', 1000, 100_000, 1, 1000, 2000],
    ]);
  });

  it.each<[string, Partial<Product>, RegExp]>([
    ['a tick × lot below one quote unit', { sizeIncrement: '0.00001' }, /whole number of USDT minor units/],
    ['a price increment finer than the quote unit', { priceIncrement: '0.0000001' }, /not a multiple of the USDT minor unit/],
    ['a size increment finer than the base unit', { sizeIncrement: '0.000000001', priceIncrement: '1000' }, /not a multiple of the BTC minor unit/],
    ['a fee rate finer than one ppm', { takerFeeRate: '0.0000001' }, /one part per million/],
    ['a fee rate above 10 %', { makerFeeRate: '0.2' }, /above 10 %/],
    ['a min size off the size increment', { minSize: '0.00015' }, /minSize/],
    ['an unknown currency', { quoteCurrency: 'DOGE' }, /unknown quote currency/],
    ['a notional that cannot be held exactly', { maxNotional: '9000000000' }, /too large to hold exactly/],
    ['an exponent', { priceIncrement: '1e-2' }, /plain decimal/],
  ])('refuses %s', (_, fields, error) => {
    expect(() => build(fields)).toThrow(error);
  });

  it('refuses duplicates and identical base and quote', () => {
    expect(() => new ProductCatalog(DEFAULT_CURRENCIES, [base, base])).toThrow(/twice/);
    expect(() => build({ quoteCurrency: 'BTC' })).toThrow(/must differ/);
  });

  it('lists and changes products at run time; what was listed keeps its increments for good', () => {
    const catalog = new ProductCatalog(DEFAULT_CURRENCIES, DEFAULT_PRODUCTS);
    const listed = catalog.list({ ...base, id: 'BTC-ETH', quoteCurrency: 'ETH', minFunds: '0.001', maxNotional: '1000' });
    expect([listed.index, catalog.product('BTC-ETH')]).toEqual([3, listed]);
    expect(catalog.update({ ...base, status: 'limit_only', makerFeeRate: '0' })).toMatchObject({ index: 0, status: 'limit_only', makerFeePpm: 0 });
    expect(() => catalog.update({ ...base, priceIncrement: '0.1' })).toThrow(/priceIncrement cannot change once listed/);
    expect(catalog.problemUpdating({ ...base, status: 'closed' as never })).toMatch(/status must be one of online, cancel_only, post_only, limit_only, delisted/);
    expect(catalog.problemListing({ ...base, id: 'BTC-DOGE', quoteCurrency: 'DOGE' })).toMatch(/unknown quote currency DOGE/);
    expect(catalog.problemListing(base)).toMatch(/already listed/);
  });

  it('follows the product events of engine outcomes, and copies itself as data', () => {
    const catalog = new ProductCatalog(DEFAULT_CURRENCIES, DEFAULT_PRODUCTS);
    const copy = catalog.copy();
    const delisted = { ...base, status: 'delisted' as const };
    const added = { ...base, id: 'BTC-ETH', quoteCurrency: 'ETH', minFunds: '0.001', maxNotional: '1000' };
    const outcome = { sequence: 1, timestamp: 0, command: { type: 'list_product' as const, product: added }, orderId: null, rejection: null };
    copy.follow([
      { ...outcome, events: [{ type: 'product', product: delisted }] },
      { ...outcome, events: [{ type: 'product', product: added }] },
    ]);
    expect(copy.definition().products.map((p) => [p.id, p.status])).toEqual([
      ['BTC-USDT', 'delisted'],
      ['ETH-USDT', 'online'],
      ['ETH-BTC', 'online'],
      ['BTC-ETH', 'online'],
    ]);
    expect(catalog.products).toHaveLength(3);
  });
});
