/** A currency and the decimals of its minor unit: balances are whole minor units. */
export interface Currency {
  id: string;
  /** Decimal places of the minor unit (BTC 8: one unit is 0.00000001 BTC). */
  scale: number;
}

/**
 * Coinbase's product statuses. `online`: every order. `limit_only`: no market orders.
 * `post_only`: only post-only limit orders, so nothing trades. `cancel_only`: no new
 * orders, cancels accepted. `delisted`: nothing; resting orders are canceled at delisting.
 */
export type ProductStatus = 'online' | 'cancel_only' | 'post_only' | 'limit_only' | 'delisted';

export const PRODUCT_STATUSES: readonly ProductStatus[] = ['online', 'cancel_only', 'post_only', 'limit_only', 'delisted'];

/**
 * A trading pair. Every amount is a decimal string. At load, the engine checks that
 * `priceIncrement × sizeIncrement` is a whole number of quote minor units, so a notional
 * never needs rounding.
 */
export interface Product {
  /** `BASE-QUOTE`, for example `BTC-USDT`. */
  id: string;
  baseCurrency: string;
  quoteCurrency: string;
  /** Tick: every limit price is a multiple of it. */
  priceIncrement: string;
  /** Lot: every size is a multiple of it. */
  sizeIncrement: string;
  /** Smallest order size in base currency. */
  minSize: string;
  /** Smallest notional (price × size, or market funds) in quote currency. */
  minFunds: string;
  /** Largest notional of one order in quote currency. */
  maxNotional: string;
  /** Fee rates as decimal fractions (`0.001` is 0.1 %), charged in quote currency. */
  makerFeeRate: string;
  takerFeeRate: string;
  status: ProductStatus;
}

/** What the exchange trades: the engine's catalog as data (a config file, a snapshot). */
export interface MarketDefinition {
  currencies: Currency[];
  products: Product[];
}
