import type { SequencedCommand } from './command';

/**
 * Durable, append-only log of sequenced commands: the source of truth the engine replays.
 * Adapters: a binary file journal (embedded default) and, later, a Kafka topic.
 */
export interface CommandJournal {
  /** Opens the log and drops a torn tail left by a crash; answers the last durable sequence (0 if empty). */
  open(): Promise<number>;

  /** Appends contiguous commands after the last one and resolves once they are durable per the adapter's policy. */
  append(commands: readonly SequencedCommand[]): Promise<void>;

  /** Calls `apply` for every command with `sequence >= fromSequence`, in order; answers the last sequence seen. */
  replay(fromSequence: number, apply: (entry: SequencedCommand) => void): Promise<number>;

  close(): Promise<void>;
}

export const CommandJournal = Symbol.for('sd.exchange.CommandJournal');
