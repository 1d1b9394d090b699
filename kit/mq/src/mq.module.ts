import { ContainerModule } from 'inversify';
import { HealthCheck } from '@sd/domain/health';
import { Logger } from '@sd/domain/logger';
import { MessageQueue } from '@sd/domain/mq';
import { Metrics } from '@sd/metrics/metrics';
import { KafkaMessageQueue } from './kafka/kafka-mq';
import { MemoryBroker, MemoryMessageQueue } from './memory/memory-mq';

export type MqConfig =
  | { kind: 'memory'; partitionCapacity?: number }
  | { kind: 'kafka'; brokers: readonly string[]; clientId: string; sessionTimeoutMs?: number; heartbeatIntervalMs?: number; stallTimeoutMs?: number };

/**
 * Binds `MessageQueue` to the adapter the config names; the container closes it on unbind.
 * Kafka also adds the `kafka` health check, and counts stalled consumers in `Metrics` when bound.
 */
export function mqModule(config: MqConfig): ContainerModule {
  return new ContainerModule(({ bind }) => {
    const binding = bind<MessageQueue>(MessageQueue);
    switch (config.kind) {
      case 'memory':
        binding
          .toResolvedValue(() => new MemoryMessageQueue(new MemoryBroker({ partitionCapacity: config.partitionCapacity })))
          .inSingletonScope()
          .onDeactivation((mq) => mq.close());
        return;
      case 'kafka':
        binding
          .toResolvedValue(
            (logger: Logger, metrics: Metrics | undefined) => new KafkaMessageQueue({ ...config, logger, metrics }),
            [Logger, { serviceIdentifier: Metrics, optional: true }],
          )
          .inSingletonScope()
          .onDeactivation((mq) => mq.close());
        bind<HealthCheck>(HealthCheck).toResolvedValue((mq: KafkaMessageQueue) => ({ name: 'kafka', check: () => mq.ping() }), [MessageQueue]);
        return;
      default:
        throw new Error(`unknown message queue kind: ${(config as { kind: string }).kind}`);
    }
  });
}
