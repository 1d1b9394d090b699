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
