import type { CommandJournal } from '@sd/domain/exchange/command-journal';
import type { SnapshotStore } from '@sd/domain/exchange/snapshot-store';
import type { ProductCatalog } from '../catalog/product-catalog';
import { ExchangeEngine, type EngineOptions } from '../engine/exchange-engine';

/**
 * Restart: the latest snapshot, then the journal after it, applied without events. Opens
 * the journal (which drops a torn tail), so the engine ends at the last durable command.
 */
export async function recoverEngine(
  catalog: ProductCatalog,
  journal: CommandJournal,
  snapshots: SnapshotStore,
  options: EngineOptions = {},
): Promise<ExchangeEngine> {
  const snapshot = await snapshots.loadLatest();
  const engine = snapshot === null ? new ExchangeEngine(catalog, options) : ExchangeEngine.restore(catalog, snapshot, options);
  const durable = await journal.open();
  if (durable < engine.lastSequence) {
    throw new Error(`journal ends at ${durable} but the snapshot is at ${engine.lastSequence}: the journal lost commands`);
  }
  await journal.replay(engine.lastSequence + 1, (entry) => engine.replay(entry));
  if (engine.lastSequence !== durable) throw new Error(`replay stopped at ${engine.lastSequence}, journal ends at ${durable}`);
  return engine;
}
