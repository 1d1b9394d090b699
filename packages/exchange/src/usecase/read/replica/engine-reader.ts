import type { ExchangeEngine } from '../../core/engine/exchange-engine';

/**
 * The engine state the API reads (balances, books, open orders). Embedded: the leader
 * itself. Distributed: a follower replaying the command log, so a read waits until the
 * follower has applied the caller's own command.
 */
export interface EngineReader {
  readonly engine: ExchangeEngine;
  /** Resolves once the state includes `sequence`. */
  caughtUp(sequence: number): Promise<void>;
}

/** The reader of an engine that is applied in this process before callers are answered. */
export function localEngineReader(engine: ExchangeEngine): EngineReader {
  return { engine, caughtUp: () => Promise.resolve() };
}
