import { serviceUrl } from '@sd/testing/services';
import { describeMessageQueueContract } from '../testing/mq-contract';
import { KafkaMessageQueue } from './kafka-mq';

describeMessageQueueContract(
  'kafka',
  async () => new KafkaMessageQueue({ brokers: serviceUrl('kafka').split(','), clientId: 'mq-contract' }),
  { timeoutMs: 60_000 },
);
