import type { CommandOutcome } from '@sd/domain/exchange/event';
import type { Candle } from '@sd/domain/exchange/market-data';
import type { ProductCatalog } from '../core/catalog/product-catalog';
import type { HistoryProjector } from './history/history-projector';
import type { QuotationProjector } from './quotation/quotation-projector';

/** What a projection changed that live clients are told about: push forwards it, never queries it back. */
export interface ReadSideChanges {
  /** Candles of every granularity that took new trades, as stored. */
  candles: Candle[];
}

/**
 * The whole read side of a batch of engine outcomes: the products it listed or changed
 * (the catalog both projectors read follows the engine's events), then trades and candles,
 * then orders and fills.
 */
export class ReadSideProjector {
  constructor(
    private readonly catalog: ProductCatalog,
    private readonly quotation: QuotationProjector,
    private readonly history: HistoryProjector,
  ) {}

  async project(outcomes: readonly CommandOutcome[]): Promise<ReadSideChanges> {
    this.catalog.follow(outcomes);
    const candles = await this.quotation.project(outcomes);
    await this.history.project(outcomes);
    return { candles };
  }
}
