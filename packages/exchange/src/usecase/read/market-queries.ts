import { exchangeNotFound as notFound } from '@sd/domain/exchange/rejection';
import type { Currency, Product } from '@sd/domain/exchange/product';
import type { ProductCatalog } from '../core/catalog/product-catalog';
import type { BookView } from '../core/engine/engine-views';
import type { EngineReader } from '../core/engine/engine-reader';
import { EventFormatter } from '../core/money/event-format';

export type BookLevel = 1 | 2 | 3;

/** Products, currencies and order books, read from the catalog and the engine state this instance holds. */
export class MarketQueries {
  private readonly format: EventFormatter;

  constructor(
    private readonly catalog: ProductCatalog,
    private readonly reader: EngineReader,
  ) {
    this.format = new EventFormatter(catalog);
  }

  products(): Product[] {
    return this.catalog.products.map((product) => product.source);
  }

  currencies(): Currency[] {
    return this.catalog.definition().currencies;
  }

  currency(currencyId: string): Currency {
    const currency = this.currencies().find(({ id }) => id === currencyId);
    if (currency === undefined) throw notFound('currency');
    return currency;
  }

  product(productId: string): Product {
    const product = this.catalog.product(productId);
    if (product === undefined) throw notFound('product');
    return product.source;
  }

  /** The sequence of a product's book (what a cached book answer is valid for), without formatting any of it. */
  bookSequence(productId: string): number {
    this.product(productId);
    const view = this.reader.engine.level2(productId, 0);
    if (view === null) throw notFound('product');
    return view.bookSequence;
  }

  book(productId: string, level: BookLevel): BookView<[string, string, number | string]> {
    this.product(productId);
    const engine = this.reader.engine;
    if (level === 3) {
      const view = engine.level3(productId);
      if (view === null) throw notFound('product');
      return this.format.level3(view);
    }
    const view = engine.level2(productId, level === 1 ? 1 : Infinity);
    if (view === null) throw notFound('product');
    return this.format.level2(view);
  }
}
