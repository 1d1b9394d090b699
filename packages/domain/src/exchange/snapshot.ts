import type { OrderSide, SelfTradePrevention } from './command';
import type { MarketDefinition } from './product';

/**
 * Full engine state after `sequence`, in a stable order: restoring it and replaying the
 * journal after `sequence` rebuilds the same engine. Amounts are scaled integers.
 */
export interface EngineSnapshot {
  sequence: number;
  timestamp: number;
  lastTradeId: number;
  /** The currencies and products as the engine had them (null in snapshots older than the catalog's). */
  market: MarketDefinition | null;
  /** Per currency, deposits minus withdrawals in minor units. */
  supply: Array<{ currency: string; amount: number }>;
  /** In the order users first received funds; zero balances are kept. */
  accounts: Array<{ userId: string; currency: string; available: number; hold: number }>;
  /** Per product, resting orders by id, which is also their time priority. */
  products: Array<{ productId: string; bookSequence: number; orders: SnapshotOrder[] }>;
  /** Client order ids still remembered for duplicate detection, oldest first. */
  clientOids: Array<{ userId: string; clientOid: string }>;
}

export interface SnapshotOrder {
  id: number;
  userId: string;
  side: OrderSide;
  /** Ticks. */
  price: number;
  /** Lots: as ordered, less self-trade decrements. */
  size: number;
  /** Lots still on the book. */
  remaining: number;
  /** Minor units held for the order (quote for buys, base for sells). */
  hold: number;
  filled: number;
  executedValue: number;
  fees: number;
  makerNotional: number;
  takerNotional: number;
  stp: SelfTradePrevention;
  postOnly: boolean;
  clientOid: string | null;
  createdAt: number;
}
