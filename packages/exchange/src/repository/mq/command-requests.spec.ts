import { randomUUID } from 'node:crypto';
import { createLogger } from '@sd/logging/logger';
import { MemoryBroker, MemoryMessageQueue } from '@sd/mq/memory/memory-mq';
import { describeCommandSubmitterContract } from '../../testing/command-submitter-contract';
import { DEFAULT_CURRENCIES, DEFAULT_PRODUCTS } from '../../usecase/core/catalog/default-products';
import { ProductCatalog } from '../../usecase/core/catalog/product-catalog';
import { EngineHost } from '../../usecase/write/engine-host';
import { MemoryJournal } from '../journal/memory-journal';
import { MemorySnapshotStore } from '../snapshot/memory-snapshot-store';
import { MessageQueueCommandSubmitter, serveCommandRequests } from './command-requests';

describeCommandSubmitterContract('message queue to an engine leader', async () => {
  const mq = new MemoryMessageQueue(new MemoryBroker());
  const topics = { requests: 'requests', replies: 'replies' };
  const host = await EngineHost.start({
    catalog: new ProductCatalog(DEFAULT_CURRENCIES, DEFAULT_PRODUCTS),
    journal: new MemoryJournal(),
    snapshots: new MemorySnapshotStore(),
    output: { publish: async () => undefined },
    logger: createLogger({ name: 'test', level: 'silent' }),
  });
  const serving = await serveCommandRequests(mq, topics, async () => host, (error) => {
    throw error;
  });
  const submitter = new MessageQueueCommandSubmitter(mq, randomUUID(), topics);
  await submitter.start();
  return {
    submitter,
    close: async () => {
      await submitter.close();
      await serving.close();
      await host.close();
      await mq.close();
    },
  };
});
