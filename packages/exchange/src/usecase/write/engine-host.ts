import type { CommandJournal } from '@sd/domain/exchange/command-journal';
import type { ExchangeCommand } from '@sd/domain/exchange/command';
import type { CommandSubmitter } from '@sd/domain/exchange/command-submitter';
import type { EngineOutput } from '@sd/domain/exchange/engine-output';
import type { CommandOutcome } from '@sd/domain/exchange/event';
import type { SnapshotStore } from '@sd/domain/exchange/snapshot-store';
import type { Logger } from '@sd/domain/logger';
import type { ProductCatalog } from '../core/catalog/product-catalog';
import { AppliedStream, type AppliedListener, type EngineReader } from '../core/engine/engine-reader';
import type { EngineOptions, ExchangeEngine } from '../core/engine/exchange-engine';
import { recoverEngine, type RecoveryOptions } from './recovery';
import { Sequencer } from './sequencer';

export interface EngineHostOptions {
  catalog: ProductCatalog;
  journal: CommandJournal;
  snapshots: SnapshotStore;
  output: EngineOutput;
  logger: Logger;
  engine?: EngineOptions;
  /** The last sequence every consumer of the output has durably processed (see RecoveryOptions). */
  publishedUpTo?: number;
  /** Save a snapshot after this many commands. Default 100,000. */
  snapshotEvery?: number;
  /** See RecoveryOptions. */
  beforeRepublish?: RecoveryOptions['beforeRepublish'];
  /** After a journal failure, commands are refused this long before the next try (SequencerOptions). */
  retryAfterMs?: number;
  /** What commands are stamped with (SequencerOptions); real time by default. */
  clock?: () => number;
}

/** A write the engine depends on that is failing now: the journal's (commands refused) or the snapshots' (nothing refused). */
export interface WriteFailure {
  part: 'journal' | 'snapshots';
  since: number;
  error: Error;
}

/** After a failed snapshot, the next try waits at least this long (a snapshot copies the whole state). */
const SNAPSHOT_RETRY_MS = 10_000;

/**
 * The leader: recovers the engine (snapshot + journal tail), republishes what consumers
 * missed, then sequences new commands. Snapshots are taken between batches, off the answer
 * path, and once more on close so the next start replays almost nothing.
 *
 * What recovery republishes goes to the output only (the read side rebuilds from it); the
 * applied stream (push) starts with the first new batch, so no client is ever sent an event
 * from before the state it was shown.
 */
export class EngineHost implements CommandSubmitter, EngineReader {
  private lastSnapshot: number;
  private snapshotting: Promise<void> = Promise.resolve();
  private snapshotFailure: WriteFailure | null = null;
  private snapshotRetryAt = 0;
  private readonly sequencer: Sequencer;

  private constructor(
    readonly engine: ExchangeEngine,
    journal: CommandJournal,
    output: EngineOutput,
    private readonly applied: AppliedStream,
    private readonly options: EngineHostOptions,
  ) {
    this.lastSnapshot = engine.lastSequence;
    const { logger } = options;
    this.sequencer = new Sequencer(engine, journal, output, {
      retryAfterMs: options.retryAfterMs,
      clock: options.clock,
      onJournalFailed: ({ error }) => logger.error({ err: error, sequence: engine.lastSequence }, 'journal write failed: refusing commands (503) until it writes again'),
      onJournalResumed: ({ since, refused }) => logger.warn({ sequence: engine.lastSequence, outageMs: Date.now() - since, refused }, 'journal writes again: accepting commands'),
    });
  }

  static async start(options: EngineHostOptions): Promise<EngineHost> {
    const { catalog, journal, snapshots, output, logger, publishedUpTo, beforeRepublish } = options;
    const started = Date.now();
    const engine = await recoverEngine(catalog, journal, snapshots, { ...options.engine, publishedUpTo, republishTo: output, beforeRepublish });
    logger.info({ sequence: engine.lastSequence, publishedUpTo, ms: Date.now() - started }, 'engine recovered from snapshot and journal');
    const applied = new AppliedStream((error) => logger.error({ err: error }, 'a listener of applied outcomes failed'));
    // Called by the sequencer right after each batch is applied: listeners see it in the same tick.
    const live: EngineOutput = {
      publish: (outcomes) => {
        applied.emit(outcomes);
        return output.publish(outcomes);
      },
    };
    return new EngineHost(engine, journal, live, applied, options);
  }

  onApplied(listener: AppliedListener): () => void {
    return this.applied.add(listener);
  }

  /** The leader's state includes every command it answered. */
  caughtUp(): Promise<void> {
    return Promise.resolve();
  }

  async submit(command: ExchangeCommand): Promise<CommandOutcome> {
    const outcome = await this.sequencer.submit(command);
    if (this.engine.lastSequence - this.lastSnapshot >= (this.options.snapshotEvery ?? 100_000)) this.snapshotSoon();
    return outcome;
  }

  /** The engine's writes that fail now (readiness reports them); empty when all work. */
  writeFailures(): WriteFailure[] {
    const outage = this.sequencer.journalOutage;
    const failures: WriteFailure[] = [];
    if (outage !== null) failures.push({ part: 'journal', since: outage.since, error: outage.error });
    if (this.snapshotFailure !== null) failures.push(this.snapshotFailure);
    return failures;
  }

  /** Throws, saying since when and why, while `part`'s writes fail (readiness). */
  assertWrites(part: WriteFailure['part']): void {
    const failure = this.writeFailures().find((failing) => failing.part === part);
    if (failure !== undefined) throw new Error(`${part} writes fail since ${new Date(failure.since).toISOString()}: ${failure.error.message}`);
  }

  /** Waits for queued commands, saves a final snapshot and closes the journal. */
  async close(): Promise<void> {
    await this.sequencer.whenIdle();
    await this.snapshotting;
    if (this.sequencer.stopped === null && this.engine.lastSequence > this.lastSnapshot) {
      // A failed final snapshot only makes the next start replay more.
      await this.options.snapshots.save(this.engine.snapshot()).catch((error: unknown) => this.options.logger.error({ err: error }, 'final snapshot failed'));
    }
    await this.options.journal.close();
  }

  private snapshotSoon(): void {
    if (Date.now() < this.snapshotRetryAt) return;
    const previous = this.lastSnapshot;
    this.lastSnapshot = this.engine.lastSequence;
    // The snapshot is taken synchronously (a consistent cut); only the write is asynchronous.
    const snapshot = this.engine.snapshot();
    const { logger, snapshots } = this.options;
    this.snapshotting = this.snapshotting
      .then(() => snapshots.save(snapshot))
      .then(
        () => {
          if (this.snapshotFailure !== null) logger.warn({ sequence: snapshot.sequence }, 'snapshot saved again');
          this.snapshotFailure = null;
        },
        (error: unknown) => {
          logger.error({ err: error }, 'snapshot failed; the journal still holds everything, retrying later');
          // Retried after SNAPSHOT_RETRY_MS, not after another snapshotEvery commands.
          this.lastSnapshot = previous;
          this.snapshotRetryAt = Date.now() + SNAPSHOT_RETRY_MS;
          this.snapshotFailure = { part: 'snapshots', since: this.snapshotFailure?.since ?? Date.now(), error: error instanceof Error ? error : new Error(String(error)) };
        },
      );
  }
}
