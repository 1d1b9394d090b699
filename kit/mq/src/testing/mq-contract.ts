import { randomUUID } from 'node:crypto';
import type { IncomingMessage, MessageBatch, MessageQueue, SubscribeOptions, Subscription } from '@sd/domain/mq';

/**
 * The behaviour every MessageQueue adapter must have. Each test builds its own queue
 * instances (one per simulated process) and topic, so suites can share a broker.
 */
export function describeMessageQueueContract(
  adapter: string,
  createQueue: () => Promise<MessageQueue>,
  { timeoutMs = 60_000 }: { timeoutMs?: number } = {},
): void {
  describe(`MessageQueue contract: ${adapter}`, () => {
    const opened: MessageQueue[] = [];
    const open = async (): Promise<MessageQueue> => {
      const mq = await createQueue();
      opened.push(mq);
      return mq;
    };
    const newTopic = async (mq: MessageQueue, partitions: number): Promise<string> => {
      const topic = `contract-${randomUUID()}`;
      await mq.ensureTopic(topic, { partitions });
      return topic;
    };

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((mq) => mq.close()));
    }, timeoutMs);

    it(
      'delivers every message once and keeps the order of each key',
      async () => {
        const mq = await open();
        const topic = await newTopic(mq, 3);
        const consumer = await consume(mq, { topic, groupId: 'g', startFrom: 'earliest' });
        for (let round = 0; round < 3; round++) {
          await mq.publish(topic, messagesFor(['a', 'b', 'c', 'd', 'e'], 20, round * 20));
        }
        await eventually(() => consumer.received.length === 300, 'all 300 messages', timeoutMs);
        const byKey = groupByKey(consumer.received);
        expect([...byKey.keys()].sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
        for (const sequence of byKey.values()) expect(sequence).toEqual(range(0, 60));
      },
      timeoutMs,
    );

    it(
      'keeps the order of one large batch publish',
      async () => {
        const mq = await open();
        const topic = await newTopic(mq, 1);
        const consumer = await consume(mq, { topic, groupId: 'g', startFrom: 'earliest' });
        await mq.publish(topic, range(0, 1000).map((i) => ({ value: Buffer.from(String(i)) })));
        await eventually(() => consumer.received.length === 1000, '1000 messages', timeoutMs);
        expect(consumer.received.map((m) => Number(m.value.toString()))).toEqual(range(0, 1000));
      },
      timeoutMs,
    );

    it(
      'shares partitions within a group while every group sees every message',
      async () => {
        const [producer, first, second, other] = await Promise.all([open(), open(), open(), open()]);
        const topic = await newTopic(producer, 4);
        const workerA = await consume(first, { topic, groupId: 'workers', startFrom: 'earliest' });
        const workerB = await consume(second, { topic, groupId: 'workers', startFrom: 'earliest' });
        const auditor = await consume(other, { topic, groupId: 'audit', startFrom: 'earliest' });
        await eventually(
          () => {
            const a = workerA.assigned;
            const b = workerB.assigned;
            return a.length > 0 && b.length > 0 && new Set([...a, ...b]).size === 4 && a.length + b.length === 4;
          },
          'the two workers to split the four partitions',
          timeoutMs,
        );
        await producer.publish(topic, messagesFor(range(0, 16).map(String), 10, 0));
        const everything = (): number => workerA.received.length + workerB.received.length;
        await eventually(() => everything() === 160 && auditor.received.length === 160, '160 messages in each group', timeoutMs);
        expect(workerA.received.length).toBeGreaterThan(0);
        expect(workerB.received.length).toBeGreaterThan(0);
        const shared = new Set([...workerA.received, ...workerB.received].map(id));
        expect(shared.size).toBe(160);
        expect(new Set(auditor.received.map(id)).size).toBe(160);
      },
      timeoutMs,
    );

    it(
      'redelivers what a consumer did not commit before it died',
      async () => {
        const [producer, doomed, survivor] = await Promise.all([open(), open(), open()]);
        const topic = await newTopic(producer, 1);
        await producer.publish(topic, range(0, 20).map((i) => ({ value: Buffer.from(String(i)) })));
        const seenByDoomed: number[] = [];
        await doomed.subscribe({
          topic,
          groupId: 'g',
          startFrom: 'earliest',
          handler: async (batch) => {
            for (const message of batch.messages) {
              const n = Number(message.value.toString());
              seenByDoomed.push(n);
              if (n === 9) await batch.commit(message);
            }
          },
        });
        await eventually(() => seenByDoomed.includes(19), 'the first consumer to see every message', timeoutMs);
        await doomed.close();
        const heir = await consume(survivor, { topic, groupId: 'g', startFrom: 'earliest' });
        await eventually(() => heir.received.length >= 10, 'the uncommitted half to come back', timeoutMs);
        expect(heir.received.map((m) => Number(m.value.toString()))).toEqual(range(10, 20));
      },
      timeoutMs,
    );

    it(
      'delivers the same messages again after the handler fails',
      async () => {
        const mq = await open();
        const topic = await newTopic(mq, 1);
        const errors: unknown[] = [];
        const delivered: number[] = [];
        let failed = false;
        await mq.subscribe({
          topic,
          groupId: 'g',
          startFrom: 'earliest',
          onError: (error) => errors.push(error),
          handler: async (batch) => {
            const values = batch.messages.map((m) => Number(m.value.toString()));
            if (!failed && values.includes(5)) {
              failed = true;
              throw new Error('transient failure');
            }
            delivered.push(...values);
            await batch.commit();
          },
        });
        await mq.publish(topic, range(0, 10).map((i) => ({ value: Buffer.from(String(i)) })));
        await eventually(() => delivered.includes(9), 'every message after the retry', timeoutMs);
        expect(errors).toHaveLength(1);
        expect(delivered).toEqual(range(0, 10));
      },
      timeoutMs,
    );

    it(
      'hands a slow consumer bounded batches, one at a time per partition',
      async () => {
        const mq = await open();
        const topic = await newTopic(mq, 1);
        let running = 0;
        let maxRunning = 0;
        const sizes: number[] = [];
        const values: number[] = [];
        await mq.subscribe({
          topic,
          groupId: 'g',
          startFrom: 'earliest',
          maxBatchSize: 5,
          handler: async (batch) => {
            maxRunning = Math.max(maxRunning, ++running);
            sizes.push(batch.messages.length);
            await new Promise((resolve) => setTimeout(resolve, 20));
            values.push(...batch.messages.map((m) => Number(m.value.toString())));
            await batch.commit();
            running--;
          },
        });
        await mq.publish(topic, range(0, 50).map((i) => ({ value: Buffer.from(String(i)) })));
        await eventually(() => values.length === 50, 'all 50 messages', timeoutMs);
        expect(maxRunning).toBe(1);
        expect(Math.max(...sizes)).toBeLessThanOrEqual(5);
        expect(values).toEqual(range(0, 50));
      },
      timeoutMs,
    );

    it(
      'resumes after the last commit when the group comes back',
      async () => {
        const [producer, before, after] = await Promise.all([open(), open(), open()]);
        const topic = await newTopic(producer, 1);
        await producer.publish(topic, range(0, 50).map((i) => ({ value: Buffer.from(String(i)) })));
        const seen: number[] = [];
        const subscription = await before.subscribe({
          topic,
          groupId: 'g',
          startFrom: 'earliest',
          handler: async (batch) => {
            for (const message of batch.messages) {
              const n = Number(message.value.toString());
              seen.push(n);
              if (n < 30) await batch.commit(message);
            }
          },
        });
        await eventually(() => seen.includes(49), 'the first run to see every message', timeoutMs);
        await subscription.close();
        const resumed = await consume(after, { topic, groupId: 'g', startFrom: 'earliest' });
        await eventually(() => resumed.received.length >= 20, 'the uncommitted tail', timeoutMs);
        expect(resumed.received.map((m) => Number(m.value.toString()))).toEqual(range(30, 50));
      },
      timeoutMs,
    );
  });
}

interface Collector {
  received: IncomingMessage[];
  assigned: readonly number[];
  subscription: Subscription;
}

/** Subscribes with a handler that records and commits every batch. */
async function consume(
  mq: MessageQueue,
  options: Omit<SubscribeOptions, 'handler' | 'onAssigned'>,
): Promise<Collector> {
  const collector = { received: [] as IncomingMessage[], assigned: [] as readonly number[] } as Collector;
  collector.subscription = await mq.subscribe({
    ...options,
    onAssigned: (partitions) => {
      collector.assigned = partitions;
    },
    handler: async (batch: MessageBatch) => {
      collector.received.push(...batch.messages);
      await batch.commit();
    },
  });
  return collector;
}

function messagesFor(keys: readonly string[], perKey: number, firstSeq: number): { key: string; value: Buffer }[] {
  return range(firstSeq, firstSeq + perKey).flatMap((seq) => keys.map((key) => ({ key, value: Buffer.from(`${key}:${seq}`) })));
}

function groupByKey(messages: readonly IncomingMessage[]): Map<string, number[]> {
  const byKey = new Map<string, number[]>();
  for (const message of messages) {
    const [key, seq] = message.value.toString().split(':');
    byKey.set(key!, [...(byKey.get(key!) ?? []), Number(seq)]);
  }
  return byKey;
}

const id = (message: IncomingMessage): string => message.value.toString();

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

/** Polls until `condition` holds; fails with what it was waiting for. */
export async function eventually(condition: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
