import { randomUUID } from 'node:crypto';
import type { Consumer } from 'kafkajs';
import type { Logger } from '@sd/domain/logger';
import { Metrics } from '@sd/metrics/metrics';
import { serviceUrl } from '@sd/testing/services';
import { describeMessageQueueContract } from '../testing/mq-contract';
import { KafkaMessageQueue } from './kafka-mq';

describeMessageQueueContract(
  'kafka',
  async () => new KafkaMessageQueue({ brokers: serviceUrl('kafka').split(','), clientId: 'mq-contract' }),
  { timeoutMs: 60_000 },
);

describe('KafkaMessageQueue ping', () => {
  it('resolves while the broker answers, and fails fast against a port nothing listens on', async () => {
    const mq = new KafkaMessageQueue({ brokers: serviceUrl('kafka').split(','), clientId: 'mq-ping' });
    await expect(mq.ping()).resolves.toBeUndefined();
    await mq.close();
    const nowhere = new KafkaMessageQueue({ brokers: ['127.0.0.1:1'], clientId: 'mq-ping' });
    const started = Date.now();
    await expect(nowhere.ping()).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(5_000);
    await nowhere.close();
  });
});

describe('KafkaMessageQueue after close', () => {
  // A late publish used to connect a fresh producer that nothing closed, keeping the process alive.
  it('refuses to publish or subscribe instead of opening a client nothing would close', async () => {
    const mq = new KafkaMessageQueue({ brokers: serviceUrl('kafka').split(','), clientId: 'mq-closed' });
    const topic = `mq-closed-${Date.now()}`;
    await mq.ensureTopic(topic);
    await mq.publish(topic, [{ value: Buffer.from('before') }]);
    await mq.close();
    await expect(mq.publish(topic, [{ value: Buffer.from('after') }])).rejects.toThrow('kafka mq: closed');
    await expect(mq.subscribe({ topic, groupId: 'late', handler: async () => undefined })).rejects.toThrow('kafka mq: closed');
  }, 60_000);
});

describe('KafkaMessageQueue stalled consumer', () => {
  // The fault runs saw a history writer's consumer stay in its group after the broker returned
  // while fetching nothing. Here its handler hangs for good instead; the session timeout is far
  // above the bound, so a replacement that waited for the stuck member to leave would miss it.
  it('replaces a consumer stuck with messages waiting by one in a fresh group from the committed offset, and leaves nothing running after close', async () => {
    const metrics = new Metrics();
    const logged: string[] = [];
    const log = (fields: Record<string, unknown>, message?: string): void => void logged.push(`${message} ${JSON.stringify(fields)}`);
    const logger: Logger = { debug: () => undefined, info: () => undefined, warn: log, error: log, child: () => logger };
    const mq = new KafkaMessageQueue({ brokers: serviceUrl('kafka').split(','), clientId: 'mq-stall', stallTimeoutMs: 2_000, sessionTimeoutMs: 45_000, metrics, logger });
    const topic = `mq-stall-${randomUUID()}`;
    await mq.ensureTopic(topic);
    const seen: string[] = [];
    let calls = 0;
    let release = (): void => undefined;
    const subscription = await mq.subscribe({
      topic,
      groupId: `stall-${randomUUID()}`,
      startFrom: 'earliest',
      regroupWhenStalled: true,
      handler: async ({ messages, commit }) => {
        calls++;
        const values = messages.map((message) => message.value.toString());
        if (values.includes('two') && !seen.includes('stuck')) {
          seen.push('stuck');
          return new Promise<void>((resolve) => (release = resolve));
        }
        seen.push(...values);
        await commit();
      },
    });
    try {
      await mq.publish(topic, [{ value: Buffer.from('one') }]);
      await until(() => seen.includes('one'), 20_000);
      const stalledAt = performance.now();
      await mq.publish(topic, [{ value: Buffer.from('two') }, { value: Buffer.from('three') }]);
      await until(() => seen.includes('three'), 30_000);
      // 'one' was committed by the stuck group: the fresh one does not read it again.
      expect(seen).toEqual(['one', 'stuck', 'two', 'three']);
      expect(performance.now() - stalledAt).toBeLessThan(15_000);
      expect(logged.filter((line) => line.startsWith('kafka consumer stalled'))).toHaveLength(1);
      expect((await metrics.counter('mq_consumer_stalls_total', '', ['topic']).get()).values).toEqual([{ labels: { topic }, value: 1 }]);
    } finally {
      release();
      await subscription.close();
      await mq.close();
    }
    // The stuck consumer's disconnect ended within close: nothing of it runs, calls or logs afterwards.
    const after = { calls, logged: logged.length };
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect({ calls, logged: logged.length }).toEqual(after);
  }, 60_000);
});

describe('KafkaMessageQueue consumer that stays in its group and fetches nothing', () => {
  // What the fault runs left behind: the group stable with its one member, the offset behind.
  // Paused, a kafkajs consumer goes on heartbeating, so its group keeps it and its partition.
  it('is regrouped, and the fresh group gets the messages', async () => {
    const mq = new KafkaMessageQueue({ brokers: serviceUrl('kafka').split(','), clientId: 'mq-paused', stallTimeoutMs: 2_000 });
    const topic = `mq-paused-${randomUUID()}`;
    await mq.ensureTopic(topic);
    const seen: string[] = [];
    const subscription = await mq.subscribe({
      topic,
      groupId: `paused-${randomUUID()}`,
      startFrom: 'earliest',
      regroupWhenStalled: true,
      handler: async ({ messages, commit }) => {
        seen.push(...messages.map((message) => message.value.toString()));
        await commit();
      },
    });
    try {
      await mq.publish(topic, [{ value: Buffer.from('one') }]);
      await until(() => seen.length === 1, 20_000);
      // The adapter's own consumer, reached only here: nothing else can make kafkajs stop fetching on purpose.
      const [consumer] = (mq as unknown as { consumers: Set<Consumer> }).consumers;
      consumer!.pause([{ topic }]);
      await mq.publish(topic, [{ value: Buffer.from('two') }]);
      await until(() => seen.length === 2, 20_000);
      expect(seen).toEqual(['one', 'two']);
    } finally {
      await subscription.close();
      await mq.close();
    }
  }, 60_000);
});

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
