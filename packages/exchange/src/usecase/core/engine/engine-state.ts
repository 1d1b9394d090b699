import type { ExchangeEvent } from '@sd/domain/exchange/event';
import type { ProductCatalog, ProductSpec } from '../catalog/product-catalog';
import { Ledger, type UserAccount } from '../ledger/ledger';
import { OrderBook } from '../matching/order-book';
import type { Order } from '../matching/order';
import { ClientOidRetention } from './client-oid-retention';

export interface EngineOptions {
  /** User that receives every fee, so balances always sum to the supply. Default `exchange-fees`. */
  feeAccountId?: string;
  /** Client order ids remembered for duplicate detection. Default 100,000. Part of the state: keep it fixed across restarts. */
  clientOidRetention?: number;
}

export interface ProductState {
  spec: ProductSpec;
  readonly book: OrderBook;
  bookSequence: number;
}

/**
 * Everything the engine owns, in one place for its four parts: dispatch (the engine),
 * clearing, the read views and the snapshot. Only the engine's `apply` changes it.
 */
export class EngineState {
  /** By product index, which is also the catalog's. */
  readonly products: ProductState[] = [];
  readonly productById = new Map<string, ProductState>();
  readonly ledger: Ledger;
  readonly orders = new Map<number, Order>();
  readonly clientOids: ClientOidRetention;
  readonly feeAccountId: string;
  feeAccount: UserAccount | undefined;
  sequence = 0;
  timestamp = 0;
  tradeId = 0;
  /** Events of the command being applied; null while replaying, when nobody reads them. */
  events: ExchangeEvent[] | null = null;

  constructor(
    readonly catalog: ProductCatalog,
    options: EngineOptions,
  ) {
    this.ledger = new Ledger(catalog.currencies.length);
    this.clientOids = new ClientOidRetention(options.clientOidRetention ?? 100_000);
    this.feeAccountId = options.feeAccountId ?? 'exchange-fees';
    for (const spec of catalog.products) this.addProduct(spec);
  }

  /** A product the catalog just listed gets its empty book. */
  addProduct(spec: ProductSpec): ProductState {
    const product: ProductState = { spec, book: new OrderBook(), bookSequence: 0 };
    this.products[spec.index] = product;
    this.productById.set(spec.id, product);
    return product;
  }
}
