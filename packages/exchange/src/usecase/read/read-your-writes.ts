import type { HistoryQueries } from './history/history-queries';
import type { EngineReader } from '../core/engine/engine-reader';

/** How long a history read waits for the history writer to reach the caller's own last command. */
const HISTORY_WAIT_MS = 3000;
const HISTORY_POLL_MS = 5;

/**
 * Read your writes: remembers, per user, the sequence of the last command this instance
 * acknowledged to them, and lets reads wait until the engine state (a replica may trail the
 * leader) or the history (the history writer trails the engine) includes it.
 */
export class ReadYourWrites {
  private readonly lastSequenceOf = new Map<string, number>();

  constructor(
    private readonly reader: EngineReader,
    private readonly history: HistoryQueries,
  ) {}

  /** Records the command and waits until this instance's engine state includes it, so the answer and later reads agree. */
  async acknowledged(userId: string, sequence: number): Promise<void> {
    if (sequence > this.lastSequence(userId)) this.lastSequenceOf.set(userId, sequence);
    await this.reader.caughtUp(sequence);
  }

  /** The sequence of the user's last command this instance acknowledged (0 if none). */
  lastSequence(userId: string): number {
    return this.lastSequenceOf.get(userId) ?? 0;
  }

  engineCaughtUp(userId: string): Promise<void> {
    return this.reader.caughtUp(this.lastSequence(userId));
  }

  async historyCaughtUp(userId: string): Promise<void> {
    const wanted = this.lastSequence(userId);
    const deadline = Date.now() + HISTORY_WAIT_MS;
    while ((await this.history.checkpoint()) < wanted && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, HISTORY_POLL_MS));
    }
  }
}
