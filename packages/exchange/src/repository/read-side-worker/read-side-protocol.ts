import type { HoldStore, LedgerStore } from '@sd/domain/exchange/account-ledger';
import type { CommandOutcome } from '@sd/domain/exchange/event';
import type { CandleStore, TradeStore } from '@sd/domain/exchange/market-data';
import type { OrderHistoryStore } from '@sd/domain/exchange/order-history';
import type { ReadSideChanges } from '../../usecase/read/read-side-projector';
import type { Currency, MarketDefinition, Product } from '@sd/domain/exchange/product';
import type { HistorySqlConfig } from '../history-database';

/** What the read-side worker starts from; plain data, as `workerData` must be. */
export interface ReadSideWorkerData {
  sql: HistorySqlConfig;
  currencies: readonly Currency[];
  products: readonly Product[];
}

type Prefixed<Prefix extends string, Port> = { [M in keyof Port & string as `${Prefix}.${M}`]: Port[M] };

/** Every method of the stores, named `store.method`, plus the worker's own. */
export type ReadSideApi = Prefixed<'orders', OrderHistoryStore> &
  Prefixed<'candles', CandleStore> &
  Prefixed<'trades', TradeStore> &
  Prefixed<'ledger', LedgerStore> &
  Prefixed<'holds', HoldStore> & {
    /** Answers once the database is open, or with the error that kept it from opening. */
    ready(): Promise<void>;
    /** The products as the engine has them now (see RecoveryOptions.beforeRepublish); `product` events follow. */
    learnMarket(market: MarketDefinition): Promise<void>;
    /** Every projector of the read side (see ReadSideProjector). */
    project(outcomes: readonly CommandOutcome[]): Promise<ReadSideChanges>;
    /** The same, from engine-output messages as the outcome topic carries them (decoded here, not on the caller's thread). */
    projectMessages(values: readonly Uint8Array[]): Promise<ReadSideChanges>;
    /** Closes the database. */
    close(): Promise<void>;
  };
