import { Container } from 'inversify';
import { HealthCheck } from '@sd/domain/health';
import { Logger } from '@sd/domain/logger';
import { MessageQueue } from '@sd/domain/mq';
import { silentLogger } from '@sd/logging/logger';
import { KafkaMessageQueue } from './kafka/kafka-mq';
import { MemoryMessageQueue } from './memory/memory-mq';
import { mqModule, type MqConfig } from './mq.module';

function containerFor(config: MqConfig): Container {
  const container = new Container();
  container.bind(Logger).toConstantValue(silentLogger);
  container.load(mqModule(config));
  return container;
}

describe('mqModule', () => {
  it('binds the adapter the config names, once per container', () => {
    const memory = containerFor({ kind: 'memory' });
    expect(memory.get(MessageQueue)).toBeInstanceOf(MemoryMessageQueue);
    expect(memory.get(MessageQueue)).toBe(memory.get(MessageQueue));
    expect(containerFor({ kind: 'kafka', brokers: ['127.0.0.1:1'], clientId: 't' }).get(MessageQueue)).toBeInstanceOf(KafkaMessageQueue);
  });

  it('adds a kafka health check that fails while no broker answers; memory needs none', async () => {
    expect(containerFor({ kind: 'memory' }).getAll(HealthCheck, { optional: true })).toEqual([]);
    const kafka = containerFor({ kind: 'kafka', brokers: ['127.0.0.1:1'], clientId: 't' });
    const [check, ...others] = kafka.getAll<HealthCheck>(HealthCheck);
    expect([check?.name, others]).toEqual(['kafka', []]);
    await expect(check!.check()).rejects.toThrow();
    await kafka.unbindAllAsync();
  });

  it('closes the queue when the container is torn down', async () => {
    const container = containerFor({ kind: 'memory' });
    const mq = container.get<MessageQueue>(MessageQueue);
    const close = jest.spyOn(mq, 'close');
    await container.unbindAllAsync();
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('refuses an unknown kind at start-up', () => {
    expect(() => containerFor({ kind: 'carrier-pigeon' } as unknown as MqConfig)).toThrow('unknown message queue kind: carrier-pigeon');
  });
});
