import type { CommandOutcome } from '@sd/domain/exchange/event';

/** A read-side store that writes a batch's changes only if its checkpoint is still the one read. */
export interface CheckpointedStore<Changes> {
  checkpoint(): Promise<number>;
  commit(expectedCheckpoint: number, changes: Changes): Promise<boolean>;
}

/**
 * Projects the outcomes the store has not seen (those above its checkpoint) and commits them
 * with the new checkpoint. If another writer moved the checkpoint meanwhile, the batch is
 * read again and only its unseen tail applied, so nothing counts twice.
 */
export async function projectOnce<Changes>(
  store: CheckpointedStore<Changes>,
  outcomes: readonly CommandOutcome[],
  changesOf: (fresh: readonly CommandOutcome[]) => Changes | Promise<Changes>,
): Promise<void> {
  for (;;) {
    const checkpoint = await store.checkpoint();
    const fresh = outcomes.filter((outcome) => outcome.sequence > checkpoint);
    if (fresh.length === 0) return;
    if (await store.commit(checkpoint, await changesOf(fresh))) return;
  }
}
