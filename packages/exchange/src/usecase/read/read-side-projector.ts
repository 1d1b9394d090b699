import type { CommandOutcome } from '@sd/domain/exchange/event';
import type { Candle } from '@sd/domain/exchange/market-data';
import type { ProductCatalog } from '../core/catalog/product-catalog';
import type { HistoryProjector } from './history/history-projector';
import type { HoldProjector } from './ledger/hold-projector';
import type { LedgerProjector } from './ledger/ledger-projector';
import type { QuotationProjector } from './quotation/quotation-projector';

/** What a projection changed that live clients are told about: push forwards it, never queries it back. */
export interface ReadSideChanges {
  /** Candles of every granularity that took new trades, as stored. */
  candles: Candle[];
}

/** The projectors of the read side, each over its own store. */
export interface ReadSideProjectors {
  quotation: QuotationProjector;
  ledger: LedgerProjector;
  holds: HoldProjector;
  history: HistoryProjector;
}

/**
 * The whole read side of a batch of engine outcomes: the products it listed or changed
 * (the catalog every projector reads follows the engine's events), then trades and candles,
 * the ledger and transfers, the holds, and last orders and fills. The history's checkpoint
 * is written last, so it is the read side's: every other store is at or past it (the engine
 * republishes from it after a restart, and reads of one's own writes wait for it); each
 * skips what it already has.
 */
export class ReadSideProjector {
  constructor(
    private readonly catalog: ProductCatalog,
    private readonly projectors: ReadSideProjectors,
  ) {}

  async project(outcomes: readonly CommandOutcome[]): Promise<ReadSideChanges> {
    // Products listed in the batch are known before anything is projected; fee and status
    // changes are followed after it, so the holds (priced by fees) see each change where it was.
    this.catalog.listNew(outcomes);
    const { quotation, ledger, holds, history } = this.projectors;
    const candles = await quotation.project(outcomes);
    await ledger.project(outcomes);
    await holds.project(outcomes);
    await history.project(outcomes);
    this.catalog.follow(outcomes);
    return { candles };
  }
}
