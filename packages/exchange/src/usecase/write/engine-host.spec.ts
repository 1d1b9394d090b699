import { createLogger } from '@sd/logging/logger';
import { MemoryJournal } from '../../repository/journal/memory-journal';
import { MemorySnapshotStore } from '../../repository/snapshot/memory-snapshot-store';
import { describeCommandSubmitterContract } from '../../testing/command-submitter-contract';
import { DEFAULT_CURRENCIES, DEFAULT_PRODUCTS } from '../core/catalog/default-products';
import { ProductCatalog } from '../core/catalog/product-catalog';
import { EngineHost } from './engine-host';

describeCommandSubmitterContract('in-process engine host', async () => {
  const host = await EngineHost.start({
    catalog: new ProductCatalog(DEFAULT_CURRENCIES, DEFAULT_PRODUCTS),
    journal: new MemoryJournal(),
    snapshots: new MemorySnapshotStore(),
    output: { publish: async () => undefined },
    logger: createLogger({ name: 'test', level: 'silent' }),
  });
  return { submitter: host, close: () => host.close() };
});
