import type { CommandJournal } from '@sd/domain/exchange/command-journal';
import type { ExchangeCommand } from '@sd/domain/exchange/command';
import type { CommandSubmitter } from '@sd/domain/exchange/command-submitter';
import type { EngineOutput } from '@sd/domain/exchange/engine-output';
import type { CommandOutcome } from '@sd/domain/exchange/event';
import type { SnapshotStore } from '@sd/domain/exchange/snapshot-store';
import type { Logger } from '@sd/domain/logger';
import type { ProductCatalog } from '../core/catalog/product-catalog';
import type { EngineOptions, ExchangeEngine } from '../core/engine/exchange-engine';
import { recoverEngine } from './recovery';
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
}

/**
 * The leader: recovers the engine (snapshot + journal tail), republishes what consumers
 * missed, then sequences new commands. Snapshots are taken between batches, off the answer
 * path, and once more on close so the next start replays almost nothing.
 */
export class EngineHost implements CommandSubmitter {
  private lastSnapshot: number;
  private snapshotting: Promise<void> = Promise.resolve();

  private constructor(
    readonly engine: ExchangeEngine,
    private readonly sequencer: Sequencer,
    private readonly options: EngineHostOptions,
  ) {
    this.lastSnapshot = engine.lastSequence;
  }

  static async start(options: EngineHostOptions): Promise<EngineHost> {
    const { catalog, journal, snapshots, output, logger, publishedUpTo } = options;
    const started = Date.now();
    const engine = await recoverEngine(catalog, journal, snapshots, { ...options.engine, publishedUpTo, republishTo: output });
    logger.info({ sequence: engine.lastSequence, publishedUpTo, ms: Date.now() - started }, 'engine recovered from snapshot and journal');
    return new EngineHost(engine, new Sequencer(engine, journal, output), options);
  }

  async submit(command: ExchangeCommand): Promise<CommandOutcome> {
    const outcome = await this.sequencer.submit(command);
    if (this.engine.lastSequence - this.lastSnapshot >= (this.options.snapshotEvery ?? 100_000)) this.snapshotSoon();
    return outcome;
  }

  /** Waits for queued commands, saves a final snapshot and closes the journal. */
  async close(): Promise<void> {
    await this.sequencer.whenIdle();
    await this.snapshotting;
    if (this.sequencer.stopped === null && this.engine.lastSequence > this.lastSnapshot) await this.options.snapshots.save(this.engine.snapshot());
    await this.options.journal.close();
  }

  private snapshotSoon(): void {
    this.lastSnapshot = this.engine.lastSequence;
    // The snapshot is taken synchronously (a consistent cut); only the write is asynchronous.
    const snapshot = this.engine.snapshot();
    this.snapshotting = this.snapshotting
      .then(() => this.options.snapshots.save(snapshot))
      .catch((error: unknown) => this.options.logger.error({ err: error }, 'snapshot failed; the journal still holds everything'));
  }
}
