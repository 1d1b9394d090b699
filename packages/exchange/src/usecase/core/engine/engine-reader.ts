import type { CommandOutcome } from '@sd/domain/exchange/event';
import type { ExchangeEngine } from './exchange-engine';

/** Told of each batch of outcomes as the engine state applies it, in sequence order. */
export type AppliedListener = (outcomes: readonly CommandOutcome[]) => void;

/**
 * The engine state the API reads (balances, books, open orders) and the live stream of what
 * changes it. Embedded: the leader itself. Distributed: a follower replaying the command log,
 * so a read waits until the follower has applied the caller's own command.
 */
export interface EngineReader {
  readonly engine: ExchangeEngine;
  /** Resolves once the state includes `sequence`. */
  caughtUp(sequence: number): Promise<void>;
  /**
   * Calls `listener` with every batch this state applies from now on, synchronously as it is
   * applied, so `engine.lastSequence` read at any moment splits the stream exactly: what is
   * at or below it is in the state, what comes later is above it. Outcomes that recovery
   * replays to rebuild the state are never in the stream. Answers the unsubscriber.
   */
  onApplied(listener: AppliedListener): () => void;
}

export const EngineReader = Symbol.for('sd.exchange.EngineReader');

/**
 * Listeners of an `EngineReader`'s applied stream. A listener that throws is reported and
 * skipped: it runs inside the engine's apply loop, which must never stop for a reader.
 */
export class AppliedStream {
  private readonly listeners = new Set<AppliedListener>();

  constructor(private readonly onListenerError: (error: unknown) => void) {}

  add(listener: AppliedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(outcomes: readonly CommandOutcome[]): void {
    for (const listener of this.listeners) {
      try {
        listener(outcomes);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }
}
