import { Partitioners, type Admin, type Consumer, type Kafka, type KafkaMessage, type Producer } from 'kafkajs';
import type { Logger } from '@sd/domain/logger';
import type {
  IncomingMessage,
  MessageQueue,
  OutgoingMessage,
  SubscribeOptions,
  Subscription,
} from '@sd/domain/mq';
import type { Metrics } from '@sd/metrics/metrics';
import { kafkaClient } from './kafka-client';
import { StallDetector, type PartitionProgress } from './stall-detector';

/** How long `close` waits for a stalled consumer's disconnect before leaving it behind. */
const ABANDONED_STOP_WAIT_MS = 5_000;

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
  /**
   * A subscription with `regroupWhenStalled` whose group has messages waiting, and that
   * neither committed nor started a handler call for this long, is stuck and regrouped (after
   * broker faults a history writer's group was seen stable with its one member and its offset
   * far behind, for good). Default 30000 ms.
   */
  stallTimeoutMs?: number;
  /** Where `mq_consumer_stalls_total` counts the stalled consumers replaced. */
  metrics?: Metrics;
}

/**
 * MessageQueue over Kafka through kafkajs. Publishing waits for acks from all in-sync
 * replicas with an idempotent producer, so a retried send is never written twice.
 */
export class KafkaMessageQueue implements MessageQueue {
  private readonly kafka: Kafka;
  /** The client of `ping`: no retries, so a stopped broker fails the check at once. */
  private readonly probe: Kafka;
  /**
   * The client of the stall checks: silent (a failed check only postpones the next), and
   * retrying a little, as kafkajs's admin needs (without, a request right after its metadata
   * refresh finds no broker in its pool).
   */
  private readonly watch: Kafka;
  /** The producer of new sends; a retired one is disconnected once its sends have settled. */
  private producer: ProducerSlot | undefined;
  private readonly producers = new Set<ProducerSlot>();
  private readonly consumers = new Set<Consumer>();
  /** Consumers found stalled: never handed a batch again, and nothing they report counts. */
  private readonly abandoned = new WeakSet<Consumer>();
  /** The (bounded) disconnects of abandoned consumers, which `close` waits for. */
  private readonly stopping = new Set<Promise<void>>();
  /** When each kafkajs event last came, per watched consumer: what a stall report says it was doing. */
  private readonly activity = new WeakMap<Consumer, Record<string, number>>();
  private readonly stalls: ReturnType<Metrics['counter']> | undefined;
  /** Set by `close`: a publish or subscribe after it would connect a client nothing closes. */
  private closed = false;

  constructor(private readonly config: KafkaMqConfig) {
    this.kafka = kafkaClient(config);
    // Its connection errors are what readiness reports; logging each probe's would only repeat them.
    this.probe = kafkaClient({ clientId: `${config.clientId}-health`, brokers: config.brokers, retries: 0 });
    this.watch = kafkaClient({ clientId: `${config.clientId}-watch`, brokers: config.brokers, retries: 3 });
    this.stalls = config.metrics?.counter('mq_consumer_stalls_total', 'Kafka consumers found stalled (messages waiting, no progress) and replaced in a fresh group', ['topic']);
  }

  async ensureTopic(topic: string, options?: { partitions?: number }): Promise<void> {
    await withAdmin(this.kafka, (admin) => admin.createTopics({ topics: [{ topic, numPartitions: options?.partitions ?? 1 }], waitForLeaders: true }));
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
    /** The group this subscription's consumer is in: a stalled one is replaced in a fresh group. */
    let groupId = options.groupId;
    const stall = options.regroupWhenStalled ? new StallDetector(this.config.stallTimeoutMs ?? 30_000, options.startFrom ?? 'latest', performance.now()) : undefined;
    const start = (): Promise<Consumer> => this.runConsumer({ ...options, groupId }, replaceSoon, () => stall?.alive(performance.now()));
    // kafkajs restarts a consumer by itself only after a retriable error; after another one (a
    // coordinator that forgot the member while the broker restarted) it stays down for good,
    // and so would this subscription: a new consumer takes its place, tried every second.
    const replaceSoon = (): void => {
      if (retry !== undefined) return; // a crash and a failed start may both ask for one
      retry = setTimeout(() => {
        retry = undefined;
        if (closed || this.closed) return;
        replacing = start().then(
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
    let current = await start();
    /** The disconnects of this subscription's stalled consumers. */
    const stops = new Set<Promise<void>>();
    /**
     * Replaces a stalled consumer without waiting for it to leave its group (it may never: a
     * stuck kafkajs member can go on heartbeating): the new one joins a fresh group that
     * starts at the stuck group's committed offsets.
     */
    const regroup = async (stuck: Consumer): Promise<void> => {
      const next = `${options.groupId}.${Date.now().toString(36)}`;
      await this.carryOffsets(groupId, next, options.topic);
      // Closed, or a crash replacement began meanwhile: that is the consumer to watch now.
      if (closed || this.closed || stuck !== current || retry !== undefined) return;
      const now = performance.now();
      const lastSeenMsAgo = Object.fromEntries(Object.entries(this.activity.get(stuck) ?? {}).map(([event, at]) => [event, Math.round(now - at)]));
      this.config.logger?.warn(
        { topic: options.topic, groupId, replacement: next, stallTimeoutMs: this.config.stallTimeoutMs ?? 30_000, lastSeenMsAgo },
        'kafka consumer stalled (messages waiting, no progress): replaced by a consumer in a fresh group from its committed offsets',
      );
      this.stalls?.inc({ topic: options.topic });
      const stopped = this.abandon(stuck);
      stops.add(stopped);
      void stopped.then(() => stops.delete(stopped));
      groupId = next;
      stall?.restart(performance.now());
      try {
        current = await start();
      } catch (error) {
        // Tried every second in the fresh group, as after a crash.
        options.onError?.(error);
        replaceSoon();
        return;
      }
      if (closed || this.closed) await current.disconnect();
    };
    let checking = false;
    const checkEveryMs = Math.max(250, Math.min(10_000, (this.config.stallTimeoutMs ?? 30_000) / 3));
    const check = async (): Promise<void> => {
      if (!stall || checking || closed || this.closed || retry !== undefined) return;
      checking = true;
      try {
        await replacing;
        let partitions: PartitionProgress[];
        const asked = performance.now();
        try {
          partitions = await this.progressOf(groupId, options.topic);
        } catch {
          stall.unreachable(performance.now());
          return;
        }
        // A slow answer is a broker that hung (stopped, overloaded) meanwhile: its consumers need time to catch up too.
        if (performance.now() - asked > checkEveryMs) {
          stall.unreachable(performance.now());
          return;
        }
        if (!stall.observe(partitions, performance.now()) || closed || this.closed) return;
        replacing = regroup(current).catch((error: unknown) => {
          // Tried again at a later check; what failed is most likely the broker.
          stall.unreachable(performance.now());
          options.onError?.(error);
        });
        await replacing;
      } finally {
        checking = false;
      }
    };
    const watchdog = stall && setInterval(() => void check(), checkEveryMs);
    watchdog?.unref();
    let closing: Promise<void> | undefined;
    return {
      close: () => {
        closed = true;
        clearTimeout(retry);
        clearInterval(watchdog);
        closing ??= (async () => {
          await replacing;
          await current.disconnect();
          this.consumers.delete(current);
          await settledWithin([...stops], ABANDONED_STOP_WAIT_MS);
        })();
        return closing;
      },
    };
  }

  /** The subscribed topic's partitions: their log ends and `groupId`'s committed offsets (-1: none). */
  private progressOf(groupId: string, topic: string): Promise<PartitionProgress[]> {
    return withAdmin(this.watch, async (admin) => {
      const ends = await admin.fetchTopicOffsets(topic);
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return ends.map(({ partition, low, high }) => ({
        partition,
        low,
        high,
        committed: committed?.partitions.find((entry) => entry.partition === partition)?.offset ?? '-1',
      }));
    });
  }

  /** Gives the empty group `to` the committed offsets of `from` (partitions without one start as the subscription says). */
  private carryOffsets(from: string, to: string, topic: string): Promise<void> {
    return withAdmin(this.watch, async (admin) => {
      const [committed] = await admin.fetchOffsets({ groupId: from, topics: [topic] });
      const partitions = (committed?.partitions ?? []).filter(({ offset }) => BigInt(offset) >= 0n).map(({ partition, offset }) => ({ partition, offset }));
      if (partitions.length > 0) await admin.setOffsets({ groupId: to, topic, partitions });
    });
  }

  /**
   * Takes a stalled consumer out of use: it gets no batch and reports nothing from now on,
   * and is disconnected. The disconnect ends once its handler call and kafkajs do, which may
   * be never: `close` waits for it up to ABANDONED_STOP_WAIT_MS.
   */
  private abandon(consumer: Consumer): Promise<void> {
    this.abandoned.add(consumer);
    this.consumers.delete(consumer);
    const stopped: Promise<void> = consumer
      .disconnect()
      .catch(() => undefined)
      .finally(() => this.stopping.delete(stopped));
    this.stopping.add(stopped);
    return stopped;
  }

  /**
   * One consumer of the subscription, running; `onDead` is called if it crashes for good,
   * `alive` whenever it starts a handler call.
   */
  private async runConsumer(options: SubscribeOptions, onDead: () => void, alive: () => void): Promise<Consumer> {
    const { topic } = options;
    const consumer = this.kafka.consumer({
      groupId: options.groupId,
      heartbeatInterval: this.config.heartbeatIntervalMs ?? 1_000,
      sessionTimeout: this.config.sessionTimeoutMs ?? 10_000,
      // A short long-poll: an idle consumer sees new messages within this bound, not 5 s later.
      maxWaitTimeInMs: 250,
      allowAutoTopicCreation: false,
    });
    if (options.regroupWhenStalled) {
      const seen: Record<string, number> = {};
      this.activity.set(consumer, seen);
      const { FETCH_START, FETCH, HEARTBEAT, GROUP_JOIN, REBALANCING, START_BATCH_PROCESS, COMMIT_OFFSETS, CRASH } = consumer.events;
      for (const event of [FETCH_START, FETCH, HEARTBEAT, GROUP_JOIN, REBALANCING, START_BATCH_PROCESS, COMMIT_OFFSETS, CRASH]) {
        consumer.on(event, () => void (seen[event] = performance.now()));
      }
    }
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      if (!this.abandoned.has(consumer)) options.onAssigned?.(payload.memberAssignment[topic] ?? []);
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart || this.abandoned.has(consumer)) return;
      // kafkajs has disconnected it already.
      this.consumers.delete(consumer);
      options.onError?.(payload.error);
      onDead();
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: options.startFrom === 'earliest' });
      await this.runHandler(consumer, options, alive);
    } catch (error) {
      await consumer.disconnect().catch(() => undefined);
      throw error;
    }
    this.consumers.add(consumer);
    return consumer;
  }

  /** Runs `options.handler` on the consumer's batches: retried until it succeeds, commits explicit. */
  private async runHandler(consumer: Consumer, options: SubscribeOptions, alive: () => void): Promise<void> {
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
            if (!isRunning() || isStale() || this.abandoned.has(consumer)) return;
            alive();
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
    await withAdmin(this.probe, (admin) => admin.describeCluster());
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.consumers].map((consumer) => consumer.disconnect()));
    this.consumers.clear();
    await settledWithin([...this.stopping], ABANDONED_STOP_WAIT_MS);
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

/** Runs `use` on an admin client of `kafka`, connected for it and disconnected after (after a failed connect too). */
async function withAdmin<T>(kafka: Kafka, use: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    return await use(admin);
  } finally {
    await admin.disconnect();
  }
}

/** Resolves when every promise has settled or `ms` has passed, whichever comes first. */
async function settledWithin(promises: ReadonlyArray<Promise<unknown>>, ms: number): Promise<void> {
  if (promises.length === 0) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.allSettled(promises), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
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
