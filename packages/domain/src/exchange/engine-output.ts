import type { CommandOutcome } from './event';

/**
 * Receives the outcomes of each applied batch in sequence order (backed by the MessageQueue
 * port in the app). The sequencer answers callers once `publish` resolves.
 */
export interface EngineOutput {
  publish(outcomes: readonly CommandOutcome[]): Promise<void>;
}

export const EngineOutput = Symbol.for('sd.exchange.EngineOutput');
