import type { SequencedCommand } from './command';

export interface FollowOptions {
  /** Stops following; `follow` then resolves. */
  signal: AbortSignal;
}

/**
 * Live tail of the command log for hot standbys and read replicas: the journal's commands
 * from a sequence on, then every command appended later, in order, until stopped. A reader
 * only: following never fences or otherwise disturbs the sequencer that appends.
 */
export interface CommandLogFollower {
  /**
   * Calls `apply` for every command with `sequence >= fromSequence`, in order and without
   * gaps, as they become durable. Resolves with the last sequence applied once `signal`
   * aborts; rejects if the log cannot be read (or `apply` throws).
   */
  follow(fromSequence: number, apply: (entry: SequencedCommand) => void, options: FollowOptions): Promise<number>;
}

export const CommandLogFollower = Symbol.for('sd.exchange.CommandLogFollower');
