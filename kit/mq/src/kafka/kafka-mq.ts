import { Partitioners, type Consumer, type Kafka, type KafkaMessage, type Producer } from 'kafkajs';
import type { Logger } from '@sd/domain/logger';
import type {
  IncomingMessage,
  MessageQueue,
  OutgoingMessage,
  SubscribeOptions,
  Subscription,
} from '@sd/domain/mq';
import { kafkaClient } from './kafka-client';

export interface KafkaMqConfig {
  brokers: readonly string[];
  clientId: string;
  logger?: Logger;
  /**
   * Consumer heartbeat; a rebalance waits for every member's next heartbeat, so a short
   * interval makes joins and failovers quick. Default 1000 ms.
   */
  heartbeatIntervalMs?: number;
  /** A member silent this long is presumed dead and its partitions move. Default 10000 ms. */
  sessionTimeoutMs?: number;
}

/**
 * MessageQueue over Kafka through kafkajs. Publishing waits for acks from all in-sync
 * replicas with an idempotent producer, so a retried send is never written twice.
 */
export class KafkaMessageQueue implements MessageQueue {
  private readonly kafka: Kafka;
  /** The client of `ping`: no retries, so a stopped broker fails the check at once. */
  private readonly probe: Kafka;
  /** The producer of new sends; a retired one is disconnected once its sends have settled. */
  private producer: ProducerSlot | undefined;
  private readonly producers = new Set<ProducerSlot>();
  private readonly consumers = new Set<Consumer>();
  /** Set by `close`: a publish or subscribe after it would connect a client nothing closes. */
  private closed = false;

  constructor(private readonly config: KafkaMqConfig) {
    this.kafka = kafkaClient(config);
    // Its connection errors are what readiness reports; logging each probe's would only repeat them.
    this.probe = kafkaClient({ clientId: `${config.clientId}-health`, brokers: config.brokers, retries: 0 });
  }

  async ensureTopic(topic: string, options?: { partitions?: number }): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: options?.partitions ?? 1 }], waitForLeaders: true });
    } finally {
      await admin.disconnect();
    }
  }

  async publish(topic: string, messages: readonly OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    this.refuseWhenClosed();
    const producer = this.connectedProducer();
    producer.sending++;
    try {
      await (await producer.connected).send({
        topic,
        acks: -1,
        messages: messages.map((message) => ({
          key: message.key ?? null,
          value: message.value,
          headers: message.headers ? { ...message.headers } : undefined,
        })),
      });
    } catch (error) {
      this.retire(producer);
      throw error;
    } finally {
      producer.sending--;
      if (producer !== this.producer && producer.sending === 0) void this.disconnect(producer);
    }
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    this.refuseWhenClosed();
    let closed = false;
    let retry: NodeJS.Timeout | undefined;
    let replacing: Promise<void> | undefined;
    // kafkajs restarts a consumer by itself only after a retriable error; after another one (a
    // coordinator that forgot the member while the broker restarted) it stays down for good,
    // and so would this subscription: a new consumer takes its place, tried every second.
    const replaceSoon = (): void => {
      if (retry !== undefined) return; // a crash and a failed start may both ask for one
      retry = setTimeout(() => {
        retry = undefined;
        if (closed || this.closed) return;
        replacing = this.runConsumer(options, replaceSoon).then(
          async (consumer) => {
            current = consumer;
            // The queue closed meanwhile and did not see this consumer (a closed subscription awaits `replacing`).
            if (this.closed) await consumer.disconnect();
          },
          (error: unknown) => {
            options.onError?.(error);
            replaceSoon();
          },
        );
      }, 1000);
    };
    let current = await this.runConsumer(options, replaceSoon);
    let closing: Promise<void> | undefined;
    return {
      close: () => {
        closed = true;
        clearTimeout(retry);
        closing ??= (async () => {
          await replacing;
          await current.disconnect();
          this.consumers.delete(current);
        })();
        return closing;
      },
    };
  }

  /** One consumer of the subscription, running; `onDead` is called if it crashes for good. */
  private async runConsumer(options: SubscribeOptions, onDead: () => void): Promise<Consumer> {
    const { topic } = options;
    const consumer = this.kafka.consumer({
      groupId: options.groupId,
      heartbeatInterval: this.config.heartbeatIntervalMs ?? 1_000,
      sessionTimeout: this.config.sessionTimeoutMs ?? 10_000,
      // A short long-poll: an idle consumer sees new messages within this bound, not 5 s later.
      maxWaitTimeInMs: 250,
      allowAutoTopicCreation: false,
    });
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => options.onAssigned?.(payload.memberAssignment[topic] ?? []));
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart) return;
      // kafkajs has disconnected it already.
      this.consumers.delete(consumer);
      options.onError?.(payload.error);
      onDead();
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: options.startFrom === 'earliest' });
      await this.runHandler(consumer, options);
    } catch (error) {
      await consumer.disconnect().catch(() => undefined);
      throw error;
    }
    this.consumers.add(consumer);
    return consumer;
  }

  /** Runs `options.handler` on the consumer's batches: retried until it succeeds, commits explicit. */
  private async runHandler(consumer: Consumer, options: SubscribeOptions): Promise<void> {
    const { topic, handler } = options;
    const maxBatchSize = options.maxBatchSize ?? 500;
    await consumer.run({
      autoCommit: false,
      // kafkajs advances its fetch position only through resolveOffset; commits stay explicit.
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        const { partition } = batch;
        for (let start = 0; start < batch.messages.length; start += maxBatchSize) {
          const messages = batch.messages.slice(start, start + maxBatchSize).map((m) => incoming(topic, partition, m));
          let commitFailed = false as boolean;
          const commit = async (upTo = messages[messages.length - 1]): Promise<void> => {
            if (!upTo) return;
            try {
              await consumer.commitOffsets([{ topic, partition, offset: (BigInt(upTo.offset) + 1n).toString() }]);
            } catch (error) {
              commitFailed = true;
              throw error;
            }
          };
          // Retry the same messages until the handler succeeds or the partition moves away.
          for (;;) {
            if (!isRunning() || isStale()) return;
            try {
              await handler({ topic, partition, messages, commit });
              break;
            } catch (error) {
              // A refused commit (this member expelled from the group after a broker hang, the
              // broker gone) is kafkajs's to handle: retried here, it went on forever, and each
              // commit stood in for the heartbeat that would have told kafkajs to rejoin.
              // The messages come again to whoever holds the partition next.
              if (commitFailed) throw error;
              options.onError?.(error);
              await new Promise((resolve) => setTimeout(resolve, 100));
              await heartbeat();
            }
          }
          resolveOffset(messages[messages.length - 1]!.offset);
          await heartbeat();
        }
      },
    });
  }

  /** Resolves when a broker answers a metadata request (readiness). */
  async ping(): Promise<void> {
    const admin = this.probe.admin();
    try {
      await admin.connect();
      await admin.describeCluster();
    } finally {
      await admin.disconnect();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.consumers].map((consumer) => consumer.disconnect()));
    this.consumers.clear();
    this.producer = undefined;
    await Promise.all([...this.producers].map((producer) => this.disconnect(producer)));
  }

  private refuseWhenClosed(): void {
    if (this.closed) throw new Error('kafka mq: closed');
  }

  private connectedProducer(): ProducerSlot {
    if (this.producer === undefined) {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      const slot: ProducerSlot = { connected: producer.connect().then(() => producer), sending: 0, disconnected: null };
      // A failed connect is retired by the send that awaited it; nobody else awaits it.
      slot.connected.catch(() => undefined);
      this.producer = slot;
      this.producers.add(slot);
    }
    return this.producer;
  }

  /**
   * Takes a producer whose send failed out of use. kafkajs hands a failed send's sequence
   * numbers to the next send; if the failed one was written after all (the broker was killed
   * or hung after writing it, before answering), the broker takes the next send of as many
   * records (an outcome batch is one record) for a duplicate and acknowledges it without
   * writing it. A new producer has a new producer id, which no earlier write can shadow.
   * A send already waiting on the old producer when one fails keeps that risk: a publisher
   * that must lose nothing (the engine's outcomes) sends one at a time.
   */
  private retire(producer: ProducerSlot): void {
    if (this.producer === producer) this.producer = undefined;
  }

  private disconnect(producer: ProducerSlot): Promise<void> {
    producer.disconnected ??= producer.connected
      .then((connected) => connected.disconnect(), () => undefined)
      .finally(() => this.producers.delete(producer));
    return producer.disconnected;
  }
}

interface ProducerSlot {
  connected: Promise<Producer>;
  /** Sends in flight. */
  sending: number;
  disconnected: Promise<void> | null;
}

function incoming(topic: string, partition: number, message: KafkaMessage): IncomingMessage {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value !== undefined) headers[name] = value.toString();
  }
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString(),
    value: message.value ?? Buffer.alloc(0),
    headers,
  };
}
