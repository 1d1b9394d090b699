import { randomUUID } from 'node:crypto';
import { DomainError } from '@sd/domain/errors';
import type { CommandOutcome } from '@sd/domain/exchange/event';
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

describe('command requests while the leader refuses', () => {
  it('answers a refusal at once as unavailable with its Retry-After, and keeps the same leader', async () => {
    const mq = new MemoryMessageQueue(new MemoryBroker());
    const topics = { requests: 'requests', replies: 'replies' };
    let refusing = true;
    let leads = 0;
    const leader = {
      submit: async () => {
        if (refusing) throw new DomainError('EXCHANGE.JOURNAL_UNAVAILABLE', 'unavailable', 'journal failed', { details: { retryAfterSeconds: 0.4 } });
        return { sequence: 1, timestamp: 0, rejection: null, events: [] } as unknown as CommandOutcome;
      },
    };
    const serving = await serveCommandRequests(mq, topics, async () => (leads++, leader), () => undefined);
    const submitter = new MessageQueueCommandSubmitter(mq, randomUUID(), topics, 5_000);
    await submitter.start();
    try {
      const started = performance.now();
      const refusal = await submitter.submit({ type: 'deposit', userId: 'a', currency: 'USDT', amount: 1 }).catch((error: unknown) => error);
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(refusal).toMatchObject({ code: 'EXCHANGE.JOURNAL_UNAVAILABLE', kind: 'unavailable', details: { retryAfterSeconds: 0.4 } });
      refusing = false;
      expect(await submitter.submit({ type: 'deposit', userId: 'a', currency: 'USDT', amount: 1 })).toMatchObject({ sequence: 1 });
      expect(leads).toBe(1);
    } finally {
      await submitter.close();
      await serving.close();
      await mq.close();
    }
  });
});
