import { createLogger } from '@sd/logging/logger';
import { MemoryJournal } from '../repository/journal/memory-journal';
import { MemorySnapshotStore } from '../repository/snapshot/memory-snapshot-store';
import { DEFAULT_CURRENCIES, DEFAULT_PRODUCTS } from '../usecase/core/catalog/default-products';
import { ProductCatalog } from '../usecase/core/catalog/product-catalog';
import { EngineHost } from '../usecase/write/engine-host';

/** An engine leader on a fresh memory journal and snapshot store, publishing nowhere. */
export function startMemoryEngineHost(): Promise<EngineHost> {
  return EngineHost.start({
    catalog: new ProductCatalog(DEFAULT_CURRENCIES, DEFAULT_PRODUCTS),
    journal: new MemoryJournal(),
    snapshots: new MemorySnapshotStore(),
    output: { publish: async () => undefined },
    logger: createLogger({ name: 'test', level: 'silent' }),
  });
}
