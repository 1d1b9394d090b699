import type { CommandJournal } from '@sd/domain/exchange/command-journal';
import type { EngineOutput } from '@sd/domain/exchange/engine-output';
import type { CommandOutcome } from '@sd/domain/exchange/event';
import type { MarketDefinition } from '@sd/domain/exchange/product';
import type { SnapshotStore } from '@sd/domain/exchange/snapshot-store';
import type { ProductCatalog } from '../core/catalog/product-catalog';
import { ExchangeEngine, type EngineOptions } from '../core/engine/exchange-engine';

export interface RecoveryOptions extends EngineOptions {
  /**
   * Consumers of the engine output have processed everything up to this sequence. The
   * outcomes after it are rebuilt while replaying and published to `republishTo` again
   * (consumers are idempotent), so a crash between the journal and a projection loses nothing.
   */
  publishedUpTo?: number;
  republishTo?: EngineOutput;
  /**
   * Told the market as the engine had it at `publishedUpTo`, before anything is republished:
   * consumers that format by product (the read side) resume from their checkpoint with the
   * products listed before it, and follow the `product` events after it.
   */
  beforeRepublish?: (market: MarketDefinition) => Promise<void>;
}

const REPUBLISH_BATCH = 1024;

/**
 * Restart: the latest snapshot, then the journal after it, applied without events (except
 * what must be republished). Opens the journal (which drops a torn tail), so the engine ends
 * at the last durable command.
 */
export async function recoverEngine(
  catalog: ProductCatalog,
  journal: CommandJournal,
  snapshots: SnapshotStore,
  options: RecoveryOptions = {},
): Promise<ExchangeEngine> {
  const { publishedUpTo = Infinity, republishTo } = options;
  const snapshot = await snapshots.loadLatest(republishTo === undefined ? Infinity : publishedUpTo);
  const engine = snapshot === null ? new ExchangeEngine(catalog, options) : ExchangeEngine.restore(catalog, snapshot, options);
  const durable = await journal.open();
  if (durable < engine.lastSequence) {
    throw new Error(`journal ends at ${durable} but the snapshot is at ${engine.lastSequence}: the journal lost commands`);
  }
  let pending: CommandOutcome[] = [];
  let publishing = Promise.resolve();
  let told = false;
  const tellMarket = (): void => {
    if (told || republishTo === undefined || options.beforeRepublish === undefined) return;
    told = true;
    const market = engine.catalog.definition();
    publishing = publishing.then(() => options.beforeRepublish!(market));
  };
  const flush = (): void => {
    const batch = pending;
    pending = [];
    publishing = publishing.then(() => republishTo!.publish(batch));
  };
  await journal.replay(engine.lastSequence + 1, (entry) => {
    if (republishTo === undefined || entry.sequence <= publishedUpTo) return engine.replay(entry);
    tellMarket();
    pending.push(engine.apply(entry));
    if (pending.length === REPUBLISH_BATCH) flush();
  });
  if (pending.length > 0) flush();
  tellMarket();
  await publishing;
  if (engine.lastSequence !== durable) throw new Error(`replay stopped at ${engine.lastSequence}, journal ends at ${durable}`);
  return engine;
}
