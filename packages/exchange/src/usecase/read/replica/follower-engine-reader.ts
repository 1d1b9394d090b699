import type { CommandLogFollower } from '@sd/domain/exchange/command-log-follower';
import type { Logger } from '@sd/domain/logger';
import type { ProductCatalog } from '../../core/catalog/product-catalog';
import { ExchangeEngine, type EngineOptions } from '../../core/engine/exchange-engine';
import { AppliedStream, type AppliedListener, type EngineReader } from '../../core/engine/engine-reader';

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

  constructor(
    catalog: ProductCatalog,
    private readonly log: CommandLogFollower,
    private readonly logger: Logger,
    options: EngineOptions = {},
  ) {
    this.engine = new ExchangeEngine(catalog, options);
    this.applied = new AppliedStream((error) => logger.error({ err: error }, 'a listener of applied outcomes failed'));
  }

  start(): void {
    this.following = this.log.follow(
      1,
      (entry) => {
        this.applied.emit([this.engine.apply(entry)]);
        this.wake();
      },
      { signal: this.stop.signal },
    );
    this.following.catch((error: unknown) => this.logger.error({ err: error }, 'the read replica stopped following the command log'));
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
