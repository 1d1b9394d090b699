import type { CommandJournal } from '@sd/domain/exchange/command-journal';
import type { ExchangeCommand, SequencedCommand } from '@sd/domain/exchange/command';
import type { EngineOutput } from '@sd/domain/exchange/engine-output';
import type { CommandOutcome } from '@sd/domain/exchange/event';
import type { ExchangeEngine } from '../core/engine/exchange-engine';

export interface SequencerOptions {
  /** Most commands in one group commit. Default 1024: bigger batches only add latency and GC work once a sync is amortised. */
  maxBatch?: number;
  /** Epoch milliseconds. Timestamps never go backwards even if this does. */
  clock?: () => number;
}

interface Pending {
  command: ExchangeCommand;
  resolve: (outcome: CommandOutcome) => void;
  reject: (error: Error) => void;
}

interface Batch {
  pending: Pending[];
  entries: SequencedCommand[];
}

/**
 * The single entrance to the engine. Commands submitted while a batch is in flight (or in
 * the same tick) form the next batch: it gets consecutive sequence numbers and one timestamp
 * and is made durable in the journal with one write (group commit). Only then is it applied
 * to the engine, its outcomes handed to the output port, and its callers answered. The next
 * batch is written while this one is applied, so the journal's sync overlaps engine work
 * (exchange-core's journal-beside-processing), yet nothing is applied before it is durable.
 * Any failure stops the sequencer for good: what was journaled is recovered on restart.
 */
export class Sequencer {
  private queue: Pending[] = [];
  private draining = false;
  private failure: Error | null = null;
  private idleWaiters: Array<() => void> = [];
  private readonly maxBatch: number;
  private readonly clock: () => number;
  private nextSequence: number;
  private lastTimestamp: number;

  constructor(
    private readonly engine: ExchangeEngine,
    private readonly journal: CommandJournal,
    private readonly output: EngineOutput,
    options: SequencerOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 1024;
    this.clock = options.clock ?? Date.now;
    this.nextSequence = engine.lastSequence + 1;
    this.lastTimestamp = engine.lastTimestamp;
  }

  /** Resolves with the command's outcome (a rejection is an outcome) once it is durable and applied. */
  submit(command: ExchangeCommand): Promise<CommandOutcome> {
    if (this.failure !== null) return Promise.reject(this.failure);
    return new Promise<CommandOutcome>((resolve, reject) => {
      this.queue.push({ command, resolve, reject });
      if (!this.draining) {
        this.draining = true;
        // setImmediate, not a microtask: commands from every I/O callback of this tick join the batch.
        setImmediate(() => void this.drain());
      }
    });
  }

  /** Resolves once every command submitted so far has been answered. */
  whenIdle(): Promise<void> {
    if (!this.draining) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  get stopped(): Error | null {
    return this.failure;
  }

  private async drain(): Promise<void> {
    let current = this.take();
    let next: Batch | null = null;
    try {
      let appending = current === null ? Promise.resolve() : this.journal.append(current.entries);
      while (current !== null) {
        await appending;
        next = this.take();
        if (next !== null) appending = this.journal.append(next.entries);
        const { pending, entries } = current;
        const outcomes: CommandOutcome[] = new Array(entries.length);
        for (let i = 0; i < entries.length; i++) outcomes[i] = this.engine.apply(entries[i]!);
        await this.output.publish(outcomes);
        for (let i = 0; i < pending.length; i++) pending[i]!.resolve(outcomes[i]!);
        current = next;
        next = null;
      }
    } catch (error) {
      this.failure = new Error('sequencer stopped: the journal, the engine or the output failed', { cause: error });
      for (const batch of [current, next]) for (const pending of batch?.pending ?? []) pending.reject(this.failure);
      for (const pending of this.queue) pending.reject(this.failure);
      this.queue = [];
    } finally {
      this.draining = false;
      for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  /** Takes up to maxBatch queued commands and gives them sequence numbers and a timestamp. */
  private take(): Batch | null {
    if (this.queue.length === 0) return null;
    let pending: Pending[];
    if (this.queue.length <= this.maxBatch) {
      pending = this.queue;
      this.queue = [];
    } else {
      pending = this.queue.splice(0, this.maxBatch);
    }
    const timestamp = (this.lastTimestamp = Math.max(this.clock(), this.lastTimestamp));
    const entries: SequencedCommand[] = new Array(pending.length);
    for (let i = 0; i < pending.length; i++) entries[i] = { sequence: this.nextSequence++, timestamp, command: pending[i]!.command };
    return { pending, entries };
  }
}
