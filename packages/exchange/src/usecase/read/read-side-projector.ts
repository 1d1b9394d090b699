import type { CommandOutcome } from '@sd/domain/exchange/event';
import type { HistoryProjector } from './history/history-projector';
import type { QuotationProjector } from './quotation/quotation-projector';

/** The whole read side of a batch of engine outcomes: trades and candles, then orders and fills. */
export class ReadSideProjector {
  constructor(
    private readonly quotation: QuotationProjector,
    private readonly history: HistoryProjector,
  ) {}

  async project(outcomes: readonly CommandOutcome[]): Promise<void> {
    await this.quotation.project(outcomes);
    await this.history.project(outcomes);
  }
}
