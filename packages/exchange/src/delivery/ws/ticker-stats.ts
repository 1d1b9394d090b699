import type { ProductCatalog } from '../../usecase/core/catalog/product-catalog';
import { fromUnits, toUnits } from '../../usecase/core/money/decimal';

/** The rolling figures a ticker shows, as the read side has them. */
export interface RollingStats {
  open: string;
  high: string;
  low: string;
  /** Base currency, last 24 hours. */
  volume: string;
  /** Base currency, last 30 days. */
  volume30d: string;
}

/** Where the figures come from: the read side's trades and candles. */
export interface RollingStatsSource {
  stats24h(productId: string): Promise<{ open: string; high: string; low: string; volume: string }>;
  volume30d(productId: string): Promise<string>;
}

interface Entry {
  /** Figures as loaded, in minor units. */
  high: bigint;
  low: bigint;
  open: string;
  volume: bigint;
  volume30d: bigint;
  /** The engine sequence the read side had stored when loaded (at least). */
  asOf: number;
  /** Trades pushed since, to fold in: `[sequence, price units, size units]`. */
  since: Array<[number, bigint, bigint]>;
}

/**
 * The 24 h and 30 d figures of each product's ticker: the read side's rolling stats, re-read
 * whenever the read side says it stored new candles for the product, with the trades pushed
 * since folded in (high, low, volumes), so a ticker includes its own trade. Exact (bigint
 * minor units); the window's edge moves with each re-read, to the minute as the read side has it.
 */
export class TickerStats {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<void>>();

  constructor(
    private readonly catalog: ProductCatalog,
    private readonly source: RollingStatsSource,
  ) {}

  /** Loads a product's figures once (a ticker subscription waits for it). */
  ensure(productId: string, asOf: number): Promise<void> {
    if (this.entries.has(productId)) return Promise.resolve();
    // Subscribes arriving while the first load runs wait for it: each starting a load after it would read the read side once per subscribe.
    return this.loading.get(productId) ?? this.load(productId, asOf);
  }

  /** Re-reads the figures: the read side stored trades up to `asOf`. */
  refresh(productId: string, asOf: number): Promise<void> {
    return this.entries.has(productId) ? this.load(productId, asOf) : Promise.resolve();
  }

  /** Whether a product's figures are kept (its trades are to be folded in). */
  follows(productId: string): boolean {
    return this.entries.has(productId) || this.loading.has(productId);
  }

  /** A trade push saw; folded into the figures until the read side has it. */
  trade(productId: string, sequence: number, price: string, size: string): void {
    const entry = this.entries.get(productId);
    if (entry === undefined || sequence <= entry.asOf) return;
    const spec = this.catalog.product(productId)!;
    entry.since.push([sequence, toUnits(price, spec.quote.scale), toUnits(size, spec.base.scale)]);
  }

  current(productId: string): RollingStats | null {
    const entry = this.entries.get(productId);
    if (entry === undefined) return null;
    const spec = this.catalog.product(productId)!;
    let { high, low, volume, volume30d, open } = entry;
    const empty = volume === 0n;
    for (const [, price, size] of entry.since) {
      if (empty && open === fromUnits(0n, spec.quote.scale)) open = fromUnits(price, spec.quote.scale);
      high = high > price ? high : price;
      low = low < price && low > 0n ? low : price;
      volume += size;
      volume30d += size;
    }
    return {
      open,
      high: fromUnits(high, spec.quote.scale),
      low: fromUnits(low, spec.quote.scale),
      volume: fromUnits(volume, spec.base.scale),
      volume30d: fromUnits(volume30d, spec.base.scale),
    };
  }

  private load(productId: string, asOf: number): Promise<void> {
    const pending = this.loading.get(productId);
    if (pending !== undefined) return pending.then(() => this.load(productId, asOf));
    const spec = this.catalog.product(productId)!;
    const load = Promise.all([this.source.stats24h(productId), this.source.volume30d(productId)])
      .then(([stats, volume30d]) => {
        const since = (this.entries.get(productId)?.since ?? []).filter(([sequence]) => sequence > asOf);
        this.entries.set(productId, {
          open: stats.open,
          high: toUnits(stats.high, spec.quote.scale),
          low: toUnits(stats.low, spec.quote.scale),
          volume: toUnits(stats.volume, spec.base.scale),
          volume30d: toUnits(volume30d, spec.base.scale),
          asOf,
          since,
        });
      })
      .finally(() => this.loading.delete(productId));
    this.loading.set(productId, load);
    return load;
  }
}
