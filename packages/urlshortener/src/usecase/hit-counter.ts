import type { Logger } from '@sd/domain/logger';
import type { LinkRepository } from '@sd/domain/urlshortener/link';

/**
 * Counts redirects in memory and adds them to the store in one batch per interval, so a
 * redirect served from the cache costs no write. A failed flush puts its counts back for the
 * next one, and `close` flushes what is left: counts are late by at most one interval, never lost
 * while the process shuts down cleanly.
 */
export class HitCounter {
  private pending = new Map<string, number>();
  private flushing: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly links: LinkRepository,
    intervalMs: number,
    private readonly logger: Logger,
  ) {
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  record(alias: string): void {
    this.pending.set(alias, (this.pending.get(alias) ?? 0) + 1);
  }

  /** Hits of `alias` counted here and not yet in the store. */
  pendingFor(alias: string): number {
    return this.pending.get(alias) ?? 0;
  }

  /** Writes the pending counts; flushes never overlap. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.pending.size === 0) return;
      const batch = this.pending;
      this.pending = new Map();
      try {
        await this.links.addHits(batch);
      } catch (error) {
        for (const [alias, count] of batch) this.pending.set(alias, this.pendingFor(alias) + count);
        this.logger.warn({ err: error, aliases: batch.size }, 'hit count flush failed; retrying with the next batch');
      }
    });
    return this.flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
