import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import { Worker } from 'node:worker_threads';
import type {
  Hold,
  HoldChanges,
  HoldStore,
  IdPage,
  LedgerChanges,
  LedgerEntry,
  LedgerStore,
  Transfer,
  TransferQuery,
} from '@sd/domain/exchange/account-ledger';
import type { OrderSide } from '@sd/domain/exchange/command';
import type { CommandOutcome } from '@sd/domain/exchange/event';
import type { MarketDefinition } from '@sd/domain/exchange/product';
import type { Candle, CandleGranularity, CandleKey, CandleRange, CandleStore, Trade, TradePage, TradeStore } from '@sd/domain/exchange/market-data';
import type { FillQuery, FillRecord, HistoryChanges, OrderHistoryStore, OrderQuery, OrderRecord } from '@sd/domain/exchange/order-history';
import type { ReadSideChanges } from '../../usecase/read/read-side-projector';
import type { ReadSideApi, ReadSideWorkerData } from './read-side-protocol';
import { RpcClient } from './worker-rpc';

type ReadSideRpc = RpcClient<ReadSideApi>;

/**
 * The exchange read side (orders, fills, trades, candles, ledger, transfers, holds and their
 * projectors) on an SQL database owned by a worker thread, so its queries and projection do
 * not take the request thread's time. The stores forward each call to the worker.
 */
export class WorkerReadSide {
  readonly orders: OrderHistoryStore;
  readonly candles: CandleStore;
  readonly trades: TradeStore;
  readonly ledger: LedgerStore;
  readonly holds: HoldStore;
  private closing: Promise<void> | undefined;

  private constructor(private readonly rpc: ReadSideRpc) {
    this.orders = new WorkerOrderHistoryStore(rpc);
    this.candles = new WorkerCandleStore(rpc);
    this.trades = new WorkerTradeStore(rpc);
    this.ledger = new WorkerLedgerStore(rpc);
    this.holds = new WorkerHoldStore(rpc);
  }

  /** Resolves once the worker has opened the database; rejects with its error if it could not. */
  static async open(workerData: ReadSideWorkerData): Promise<WorkerReadSide> {
    const rpc: ReadSideRpc = new RpcClient(new Worker(workerScript(), { workerData }), 'read-side worker');
    try {
      await rpc.call('ready');
    } catch (error) {
      await rpc.terminate();
      throw error;
    }
    return new WorkerReadSide(rpc);
  }

  /** The products as the engine has them now, for the worker's catalog; `product` events follow. */
  learnMarket(market: MarketDefinition): Promise<void> {
    return this.rpc.call('learnMarket', market);
  }

  /** Quotation, then order history, as one batch. */
  project(outcomes: readonly CommandOutcome[]): Promise<ReadSideChanges> {
    return this.rpc.call('project', outcomes);
  }

  /**
   * `project` for engine-output messages as the outcome topic delivered them: bytes copy to
   * the worker far cheaper than the decoded outcomes would, and the worker decodes them.
   */
  projectMessages(values: readonly Uint8Array[]): Promise<ReadSideChanges> {
    return this.rpc.call('projectMessages', values);
  }

  /**
   * Lets pending calls finish, has the worker close the database, then ends the worker.
   * Rejects when that close could not happen (the worker failed or had died).
   */
  close(): Promise<void> {
    return (this.closing ??= this.rpc.finish('close'));
  }

  /** Ends the worker now without closing the database, as a crash would: pending and later calls reject. */
  terminate(): Promise<void> {
    return this.rpc.terminate();
  }
}

class WorkerOrderHistoryStore implements OrderHistoryStore {
  constructor(private readonly rpc: ReadSideRpc) {}

  checkpoint(): Promise<number> {
    return this.rpc.call('orders.checkpoint');
  }

  findOrders(ids: readonly number[]): Promise<OrderRecord[]> {
    return this.rpc.call('orders.findOrders', ids);
  }

  commit(expectedCheckpoint: number, changes: HistoryChanges): Promise<boolean> {
    return this.rpc.call('orders.commit', expectedCheckpoint, changes);
  }

  listOrders(userId: string, query: OrderQuery): Promise<OrderRecord[]> {
    return this.rpc.call('orders.listOrders', userId, query);
  }

  getOrder(userId: string, orderId: number): Promise<OrderRecord | null> {
    return this.rpc.call('orders.getOrder', userId, orderId);
  }

  getOrderByClientOid(userId: string, clientOid: string): Promise<OrderRecord | null> {
    return this.rpc.call('orders.getOrderByClientOid', userId, clientOid);
  }

  listFills(userId: string, query: FillQuery): Promise<FillRecord[]> {
    return this.rpc.call('orders.listFills', userId, query);
  }
}

class WorkerCandleStore implements CandleStore {
  constructor(private readonly rpc: ReadSideRpc) {}

  find(keys: readonly CandleKey[]): Promise<Candle[]> {
    return this.rpc.call('candles.find', keys);
  }

  save(candles: readonly Candle[]): Promise<void> {
    return this.rpc.call('candles.save', candles);
  }

  list(productId: string, granularity: CandleGranularity, range: CandleRange): Promise<Candle[]> {
    return this.rpc.call('candles.list', productId, granularity, range);
  }
}

class WorkerTradeStore implements TradeStore {
  constructor(private readonly rpc: ReadSideRpc) {}

  insert(trades: readonly Trade[]): Promise<void> {
    return this.rpc.call('trades.insert', trades);
  }

  list(productId: string, page: TradePage): Promise<Trade[]> {
    return this.rpc.call('trades.list', productId, page);
  }
}

class WorkerLedgerStore implements LedgerStore {
  constructor(private readonly rpc: ReadSideRpc) {}

  checkpoint(): Promise<number> {
    return this.rpc.call('ledger.checkpoint');
  }

  commit(expectedCheckpoint: number, changes: LedgerChanges): Promise<boolean> {
    return this.rpc.call('ledger.commit', expectedCheckpoint, changes);
  }

  listEntries(userId: string, currency: string, page: IdPage): Promise<LedgerEntry[]> {
    return this.rpc.call('ledger.listEntries', userId, currency, page);
  }

  listTransfers(userId: string, query: TransferQuery): Promise<Transfer[]> {
    return this.rpc.call('ledger.listTransfers', userId, query);
  }
}

class WorkerHoldStore implements HoldStore {
  constructor(private readonly rpc: ReadSideRpc) {}

  checkpoint(): Promise<number> {
    return this.rpc.call('holds.checkpoint');
  }

  commit(expectedCheckpoint: number, changes: HoldChanges): Promise<boolean> {
    return this.rpc.call('holds.commit', expectedCheckpoint, changes);
  }

  findHolds(orderIds: readonly number[]): Promise<Hold[]> {
    return this.rpc.call('holds.findHolds', orderIds);
  }

  holdsOfProduct(productId: string, side: OrderSide): Promise<Hold[]> {
    return this.rpc.call('holds.holdsOfProduct', productId, side);
  }

  listHolds(userId: string, currency: string, page: IdPage): Promise<Hold[]> {
    return this.rpc.call('holds.listHolds', userId, currency, page);
  }
}

/** The compiled worker next to this module; from TypeScript sources (jest), the built one under dist. */
function workerScript(): string {
  const script = join(__dirname, 'read-side-worker.js');
  const source = `${sep}src${sep}`;
  const at = script.lastIndexOf(source);
  if (!__filename.endsWith('.ts') || at < 0) return script;
  // A worker thread runs plain JavaScript: it cannot load the TypeScript this module came from.
  const built = `${script.slice(0, at)}${sep}dist${sep}${script.slice(at + source.length)}`;
  if (!existsSync(built)) throw new Error(`${built} does not exist: build @sd/exchange first (pnpm --filter @sd/exchange build)`);
  return built;
}
