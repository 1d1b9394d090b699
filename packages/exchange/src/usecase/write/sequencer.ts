import { DomainError } from '@sd/domain/errors';
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
  /** After a journal failure, commands are refused this long before the journal is tried again. Default 1000 ms. */
  retryAfterMs?: number;
  /** Told when the journal starts failing. */
  onJournalFailed?: (outage: JournalOutage) => void;
  /** Told when the journal writes again, with the outage that ended. */
  onJournalResumed?: (outage: JournalOutage) => void;
}

/** The journal cannot make commands durable: since when, why, and what was refused meanwhile. */
export interface JournalOutage {
  since: number;
  error: Error;
  /** Commands answered `unavailable` since the outage began. */
  refused: number;
}

/** The answer to a command the journal could not make durable: nothing of it was applied. */
export function journalUnavailable(retryAfterMs: number, cause: unknown): DomainError {
  return new DomainError('EXCHANGE.JOURNAL_UNAVAILABLE', 'unavailable', 'the exchange cannot make commands durable right now (its journal failed to write); nothing was applied, retry later', {
    cause,
    details: { retryAfterSeconds: retryAfterMs / 1000 },
  });
}

/**
 * The answer to a command whose append failed while the journal could not be asked whether it
 * landed (a remote log that went away mid-write): it may still be applied.
 */
export function outcomeUnknown(retryAfterMs: number, cause: unknown): DomainError {
  return new DomainError(
    'EXCHANGE.OUTCOME_UNKNOWN',
    'unavailable',
    'the journal failed while this command was being written and cannot tell yet whether it was; it may still be applied: look it up by client_oid (GET /orders/client:<client_oid>) or send it again with the same client_oid, which is never applied twice',
    { cause, details: { retryAfterSeconds: retryAfterMs / 1000 } },
  );
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
 *
 * A failed append (disk full, I/O error, the log unreachable) is an outage, not the end: at
 * most one append is in flight (the next is taken only once the previous is durable), so the
 * failed batch is the only one holding sequence numbers past the engine. The journal is
 * reopened, which cuts the log back to its last durable append; whatever of the batch the
 * log still holds (a remote log may have committed it) is applied and answered, the rest is
 * refused with `unavailable`, and its sequence numbers go to the next batch. For
 * `retryAfterMs` new commands are refused at once; the first batch after that tries again
 * and, once it is durable, ends the outage. A failure of the engine or the output stops the
 * sequencer for good: what was journaled is recovered on restart.
 */
export class Sequencer {
  private queue: Pending[] = [];
  private draining = false;
  private failure: Error | null = null;
  private outage: JournalOutage | null = null;
  private retryAt = 0;
  /** The journal failed and has not been reopened since: it may hold a torn or unanswered tail. */
  private reopenNeeded = false;
  /** The batch whose append failed while the journal could not be reopened: what of it the log holds is applied at the next reopen. */
  private unresolved: Batch | null = null;
  private idleWaiters: Array<() => void> = [];
  private readonly maxBatch: number;
  private readonly clock: () => number;
  private readonly retryAfterMs: number;
  private nextSequence: number;
  private lastTimestamp: number;

  constructor(
    private readonly engine: ExchangeEngine,
    private readonly journal: CommandJournal,
    private readonly output: EngineOutput,
    private readonly options: SequencerOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 1024;
    this.clock = options.clock ?? Date.now;
    this.retryAfterMs = options.retryAfterMs ?? 1000;
    this.nextSequence = engine.lastSequence + 1;
    this.lastTimestamp = engine.lastTimestamp;
  }

  /**
   * Resolves with the command's outcome (a rejection is an outcome) once it is durable and
   * applied; rejects with `unavailable` while the journal cannot write.
   */
  submit(command: ExchangeCommand): Promise<CommandOutcome> {
    if (this.failure !== null) return Promise.reject(this.failure);
    if (this.outage !== null && Date.now() < this.retryAt) {
      this.outage.refused++;
      return Promise.reject(journalUnavailable(this.retryAt - Date.now(), this.outage.error));
    }
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

  /** Set once the engine or the output failed: the sequencer never sequences again. */
  get stopped(): Error | null {
    return this.failure;
  }

  /** Set while the journal cannot make commands durable. */
  get journalOutage(): JournalOutage | null {
    return this.outage;
  }

  private async drain(): Promise<void> {
    let current: Batch | null = null;
    let next: Batch | null = null;
    try {
      if (this.reopenNeeded && !(await this.reopen(null))) return;
      current = this.take();
      let appending = current === null ? null : this.append(current);
      while (current !== null) {
        const appendError = await appending;
        if (appendError !== null) {
          await this.reopen({ batch: current, error: appendError });
          return;
        }
        this.endOutage();
        next = this.take();
        appending = next === null ? null : this.append(next);
        this.answer(current.pending, await this.applyAndPublish(current.entries));
        current = next;
        next = null;
      }
    } catch (error) {
      this.failure = new Error('sequencer stopped: the engine, the output or the reopened journal failed', { cause: error });
      for (const batch of [current, next]) for (const pending of batch?.pending ?? []) pending.reject(this.failure);
      this.refuseQueued(this.failure);
    } finally {
      this.draining = false;
      for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  /** The append's failure, or null once it is durable. */
  private append(batch: Batch): Promise<Error | null> {
    return this.journal.append(batch.entries).then(
      () => null,
      (error: unknown) => asError(error),
    );
  }

  private async applyAndPublish(entries: readonly SequencedCommand[]): Promise<CommandOutcome[]> {
    const outcomes: CommandOutcome[] = new Array(entries.length);
    for (let i = 0; i < entries.length; i++) outcomes[i] = this.engine.apply(entries[i]!);
    await this.output.publish(outcomes);
    return outcomes;
  }

  private answer(pending: readonly Pending[], outcomes: readonly CommandOutcome[]): void {
    for (let i = 0; i < pending.length; i++) pending[i]!.resolve(outcomes[i]!);
  }

  /**
   * Reopens the journal after `failed` (or, with null, retries a reopen that failed before),
   * which cuts the log back to its last durable append. What it still holds past the engine
   * must be a prefix of the failed batch (a remote log may have committed it): that is
   * applied and answered. The rest of the batch and every queued command are refused, and the
   * outage starts or goes on. If the journal cannot be reopened, the log cannot say whether the
   * failed batch landed: its callers are told the outcome is unknown, and the next reopen applies
   * what of it the log holds. Answers whether the journal is open again; throws (stopping the
   * sequencer) when the log holds commands this sequencer did not append: another writer.
   */
  private async reopen(failed: { batch: Batch; error: Error } | null): Promise<boolean> {
    this.reopenNeeded = true;
    let error = failed?.error ?? this.outage?.error ?? new Error('journal failed');
    let refused = failed?.batch.pending ?? [];
    let durable: number;
    try {
      durable = await this.journal.open();
    } catch (reopenError) {
      durable = -1;
      error = asError(reopenError);
    }
    let unknown: Pending[] = [];
    if (durable >= 0) {
      if (durable > this.engine.lastSequence) {
        const landed = await this.landedPrefix(failed?.batch ?? this.unresolved ?? undefined, durable);
        this.answer(refused.slice(0, landed.length), await this.applyAndPublish(landed));
        refused = refused.slice(landed.length);
      } else if (durable < this.engine.lastSequence) {
        throw new Error(`journal reopened at ${durable}, behind the engine at ${this.engine.lastSequence}: it lost durable commands`);
      }
      this.reopenNeeded = false;
      this.unresolved = null;
    } else if (failed !== null) {
      this.unresolved = failed.batch;
      unknown = refused;
      refused = [];
    }
    this.nextSequence = this.engine.lastSequence + 1;
    // A retried reopen that worked: the commands waiting go on to the journal.
    if (failed === null && !this.reopenNeeded) return true;
    this.startOutage(error);
    const refusal = journalUnavailable(this.retryAfterMs, error);
    const unknownOutcome = outcomeUnknown(this.retryAfterMs, error);
    this.outage!.refused += refused.length + unknown.length;
    for (const pending of unknown) pending.reject(unknownOutcome);
    for (const pending of refused) pending.reject(refusal);
    this.refuseQueued(refusal);
    return !this.reopenNeeded;
  }

  /** The entries after the engine up to `durable`, checked to be the start of `batch`. */
  private async landedPrefix(batch: Batch | undefined, durable: number): Promise<SequencedCommand[]> {
    const landed: SequencedCommand[] = [];
    await this.journal.replay(this.engine.lastSequence + 1, (entry) => {
      if (entry.sequence <= durable) landed.push(entry);
    });
    const ours = (entry: SequencedCommand, i: number): boolean => {
      const appended = batch?.entries[i];
      return appended !== undefined && appended.sequence === entry.sequence && appended.timestamp === entry.timestamp && JSON.stringify(appended.command) === JSON.stringify(entry.command);
    };
    if (landed.length !== durable - this.engine.lastSequence || !landed.every(ours)) {
      throw new Error(`journal reopened at ${durable} holding commands this sequencer did not append (another writer?)`);
    }
    return landed;
  }

  private startOutage(error: Error): void {
    this.retryAt = Date.now() + this.retryAfterMs;
    if (this.outage !== null) return;
    this.outage = { since: Date.now(), error, refused: 0 };
    this.options.onJournalFailed?.(this.outage);
  }

  private endOutage(): void {
    const ended = this.outage;
    if (ended === null) return;
    this.outage = null;
    this.options.onJournalResumed?.(ended);
  }

  private refuseQueued(error: Error): void {
    const queued = this.queue;
    this.queue = [];
    if (this.outage !== null && this.failure === null) this.outage.refused += queued.length;
    for (const pending of queued) pending.reject(error);
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

/** An Error as thrown, or one made of what was thrown; Node's errors keep their code. */
function asError(error: unknown): Error {
  return typeof error === 'object' && error !== null && 'message' in error ? (error as Error) : new Error(String(error));
}
