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
  it('replaces a consumer that stops making progress, and the new one gets the uncommitted messages', async () => {
    const mq = new KafkaMessageQueue({ brokers: serviceUrl('kafka').split(','), clientId: 'mq-stall', stallTimeoutMs: 2_000, sessionTimeoutMs: 6_000 });
    const topic = `mq-stall-${Date.now()}`;
    await mq.ensureTopic(topic);
    const errors: string[] = [];
    const seen: string[] = [];
    let calls = 0;
    let release = (): void => undefined;
    const subscription = await mq.subscribe({
      topic,
      groupId: `stall-${Date.now()}`,
      startFrom: 'earliest',
      onError: (error) => errors.push(String(error)),
      handler: async ({ messages, commit }) => {
        // The first call hangs for good, as a stuck consumer does; the replacement's go through.
        if (calls++ === 0) return new Promise<void>((resolve) => (release = resolve));
        seen.push(...messages.map((message) => message.value.toString()));
        await commit();
      },
    });
    try {
      await mq.publish(topic, [{ value: Buffer.from('one') }, { value: Buffer.from('two') }]);
      const deadline = Date.now() + 40_000;
      while (seen.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(seen).toEqual(['one', 'two']);
      expect(errors.some((error) => error.includes('made no progress for 2000 ms'))).toBe(true);
    } finally {
      // The stuck consumer's disconnect waits for its handler: let it end, or its sockets keep jest running.
      release();
      await subscription.close();
      await mq.close();
    }
  }, 60_000);
});
