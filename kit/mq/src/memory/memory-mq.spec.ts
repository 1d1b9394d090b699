import { describeMessageQueueContract, eventually } from '../testing/mq-contract';
import { MemoryBroker, MemoryMessageQueue } from './memory-mq';

let broker: MemoryBroker;
beforeEach(() => (broker = new MemoryBroker()));
afterEach(() => broker.close());

describeMessageQueueContract('memory', async () => new MemoryMessageQueue(broker), { timeoutMs: 5_000 });

describe('MemoryMessageQueue back-pressure', () => {
  it('makes publish wait while a live group lags by the partition capacity', async () => {
    const mq = new MemoryMessageQueue(new MemoryBroker({ partitionCapacity: 10 }));
    const committed: number[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    await mq.subscribe({
      topic: 't',
      groupId: 'slow',
      startFrom: 'earliest',
      maxBatchSize: 10,
      handler: async (batch) => {
        await gate;
        committed.push(...batch.messages.map((m) => Number(m.value.toString())));
        await batch.commit();
      },
    });
    let published = false;
    const publishing = mq
      .publish('t', Array.from({ length: 25 }, (_, i) => ({ value: Buffer.from(String(i)) })))
      .then(() => (published = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(published).toBe(false);
    release();
    await publishing;
    await eventually(() => committed.length === 25, 'the slow group to drain', 2_000);
    expect(committed).toEqual(Array.from({ length: 25 }, (_, i) => i));
    await mq.close();
  });

  it('bounds what a topic without consumers retains', async () => {
    const mq = new MemoryMessageQueue(new MemoryBroker({ partitionCapacity: 5 }));
    await mq.publish('t', Array.from({ length: 20 }, (_, i) => ({ value: Buffer.from(String(i)) })));
    const seen: number[] = [];
    await mq.subscribe({
      topic: 't',
      groupId: 'late',
      startFrom: 'earliest',
      handler: async (batch) => void seen.push(...batch.messages.map((m) => Number(m.value.toString()))),
    });
    await eventually(() => seen.length === 5, 'the retained tail', 2_000);
    expect(seen).toEqual([15, 16, 17, 18, 19]);
    await mq.close();
  });
});
