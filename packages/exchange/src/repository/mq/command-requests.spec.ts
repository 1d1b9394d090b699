import { randomUUID } from 'node:crypto';
import { MemoryBroker, MemoryMessageQueue } from '@sd/mq/memory/memory-mq';
import { describeCommandSubmitterContract } from '../../testing/command-submitter-contract';
import { startMemoryEngineHost } from '../../testing/memory-engine-host';
import { MessageQueueCommandSubmitter, serveCommandRequests } from './command-requests';

describeCommandSubmitterContract('message queue to an engine leader', async () => {
  const mq = new MemoryMessageQueue(new MemoryBroker());
  const topics = { requests: 'requests', replies: 'replies' };
  const host = await startMemoryEngineHost();
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
