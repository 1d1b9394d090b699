import type { CommandJournal } from '@sd/domain/exchange/command-journal';
import type { CommandOutcome, MatchEvent } from '@sd/domain/exchange/event';
import type { TapeSource, TapeTrade } from '@sd/domain/exchange/tape';
import { createLogger } from '@sd/logging/logger';
import { TapeClock } from '../repository/clock/clocks';
import { MemoryJournal } from '../repository/journal/memory-journal';
import { MemorySnapshotStore } from '../repository/snapshot/memory-snapshot-store';
import { DEFAULT_CURRENCIES, DEFAULT_PRODUCTS } from '../usecase/core/catalog/default-products';
import { ProductCatalog } from '../usecase/core/catalog/product-catalog';
import { OrderViews } from '../usecase/core/order-view';
import { SandboxFunds } from '../usecase/sandbox/sandbox-funds';
import { EngineHost } from '../usecase/write/engine-host';
import { ExchangeGateway } from '../usecase/write/exchange-gateway';
import { FundsUseCase } from '../usecase/write/funds.usecase';
import { RequestParser } from '../usecase/write/request-parser';
import { TradingUseCase } from '../usecase/write/trading.usecase';

/** An engine leader on the tape clock with the default products, the use cases a user trades through, and every outcome it published. */
export interface SandboxFixture {
  host: EngineHost;
  clock: TapeClock;
  trading: TradingUseCase;
  funds: SandboxFunds;
  outcomes: CommandOutcome[];
  /** Every trade so far, in order, with the time of its command. */
  matches(): Array<MatchEvent & { time: number }>;
}

export async function startSandboxFixture(journal: CommandJournal = new MemoryJournal()): Promise<SandboxFixture> {
  const clock = new TapeClock();
  const outcomes: CommandOutcome[] = [];
  const host = await EngineHost.start({
    catalog: new ProductCatalog(DEFAULT_CURRENCIES, DEFAULT_PRODUCTS),
    journal,
    snapshots: new MemorySnapshotStore(),
    output: { publish: async (published) => void outcomes.push(...published) },
    logger: createLogger({ name: 'test', level: 'silent' }),
    clock: () => clock.now(),
  });
  const gateway = new ExchangeGateway(new RequestParser(host.engine.catalog), host);
  // The leader's state holds every command it answered: nothing to wait for.
  const acknowledged = { acknowledged: async () => undefined };
  const trading = new TradingUseCase(gateway, new OrderViews(host.engine.catalog), acknowledged);
  const funds = new SandboxFunds(new FundsUseCase(gateway, host.engine.catalog, acknowledged), host);
  const matches = (): Array<MatchEvent & { time: number }> =>
    outcomes.flatMap((outcome) => outcome.events.filter((event): event is MatchEvent => event.type === 'match').map((event) => ({ ...event, time: outcome.timestamp })));
  return { host, clock, trading, funds, outcomes, matches };
}

/** Tapes held in memory: `open` answers one over `trades` whatever the file. */
export function memoryTapes(trades: readonly TapeTrade[]): TapeSource {
  return {
    open: async () => {
      let read = 0;
      return {
        format: 'binance-aggtrades',
        progress: () => ({ bytesRead: read, bytesTotal: trades.length }),
        async *[Symbol.asyncIterator]() {
          for (const trade of trades) {
            read++;
            yield trade;
          }
        },
      };
    },
  };
}
