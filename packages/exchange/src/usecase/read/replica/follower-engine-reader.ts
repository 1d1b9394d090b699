import type { CommandLogFollower } from '@sd/domain/exchange/command-log-follower';
import type { Logger } from '@sd/domain/logger';
import type { ProductCatalog } from '../../core/catalog/product-catalog';
import { ExchangeEngine, type EngineOptions } from '../../core/engine/exchange-engine';
import { AppliedStream, type AppliedListener, type EngineReader } from '../../core/engine/engine-reader';

const RETRY_MS = 1000;

/**
 * A read replica: an engine of its own that applies the command log as the leader appends
 * it, deterministically, so it reaches the leader's state at every sequence. Its outcomes
 * equal the leader's and feed this instance's WebSocket push.
 */
export class FollowerEngineReader implements EngineReader {
  readonly engine: ExchangeEngine;
  private readonly waiters: Array<{ sequence: number; resolve: () => void }> = [];
  private readonly stop = new AbortController();
  private readonly applied: AppliedStream;
  private following: Promise<number> | null = null;
  private lastFailure: Error | null = null;

  constructor(
    catalog: ProductCatalog,
    private readonly log: CommandLogFollower,
    private readonly logger: Logger,
    options: EngineOptions = {},
  ) {
    this.engine = new ExchangeEngine(catalog, options);
    this.applied = new AppliedStream((error) => logger.error({ err: error }, 'a listener of applied outcomes failed'));
  }

  /**
   * Follows the log until closed. A failure of the log (Kafka down or restarted) does not end
   * it: following resumes after the last applied command, retried every second meanwhile.
   */
  start(): void {
    this.following = this.followUntilClosed();
  }

  /** Why the replica is not following the log now, or null while it is (readiness). */
  get failure(): Error | null {
    return this.lastFailure;
  }

  private async followUntilClosed(): Promise<number> {
    while (!this.stop.signal.aborted) {
      // Following again counts as recovered once it has not failed for a while (the log may be idle).
      const recovered = setTimeout(() => (this.lastFailure = null), 3 * RETRY_MS);
      try {
        return await this.log.follow(
          this.engine.lastSequence + 1,
          (entry) => {
            this.lastFailure = null;
            this.applied.emit([this.engine.apply(entry)]);
            this.wake();
          },
          { signal: this.stop.signal },
        );
      } catch (error) {
        if (this.lastFailure === null) this.logger.error({ err: error, sequence: this.engine.lastSequence }, 'the read replica lost the command log; following again from where it stopped');
        this.lastFailure = error instanceof Error ? error : new Error(String(error));
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      } finally {
        clearTimeout(recovered);
      }
    }
    return this.engine.lastSequence;
  }

  onApplied(listener: AppliedListener): () => void {
    return this.applied.add(listener);
  }

  caughtUp(sequence: number): Promise<void> {
    if (this.engine.lastSequence >= sequence) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ sequence, resolve }));
  }

  async close(): Promise<void> {
    this.stop.abort();
    await this.following?.catch(() => undefined);
  }

  private wake(): void {
    if (this.waiters.length === 0) return;
    const at = this.engine.lastSequence;
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      if (this.waiters[i]!.sequence <= at) this.waiters.splice(i, 1)[0]!.resolve();
    }
  }
}
