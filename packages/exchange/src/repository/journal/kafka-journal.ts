import { randomUUID } from 'node:crypto';
import type { Admin, Kafka, Message, Producer, Transaction } from 'kafkajs';
import type { CommandJournal } from '@sd/domain/exchange/command-journal';
import type { CommandLogFollower, FollowOptions } from '@sd/domain/exchange/command-log-follower';
import type { SequencedCommand } from '@sd/domain/exchange/command';
import type { Logger } from '@sd/domain/logger';
import { kafkaClient } from '@sd/mq/kafka/kafka-client';
import { BinaryReader, BinaryWriter } from '../codec/binary-buffer';
import { decodeCommand, encodeCommand } from '../codec/command-codec';

export interface KafkaJournalConfig {
  brokers: readonly string[];
  /** The log: created on open with one partition (one total order) if missing. */
  topic: string;
  clientId: string;
  /**
   * `write` (default): the sequencer's journal; opening it fences every earlier writer.
   * `read`: replay and follow only, for hot standbys and read replicas; never fences.
   */
  mode?: 'write' | 'read';
  /** Fixed per log, so that a new writer fences the old one. Default `<topic>.sequencer`. */
  transactionalId?: string;
  /** Used only when the topic is created. Default 1 (a single node). */
  replicationFactor?: number;
  /**
   * Most bytes of one Kafka message (and of one produce request: a request is one record
   * batch, which the broker limits like a message). A larger append is split into several
   * messages of the same transaction. Default 512 KiB, under the broker's 1 MiB default.
   */
  maxMessageBytes?: number;
  logger?: Logger;
}

/**
 * Kafka message timestamps carry `SEQUENCE_CLOCK + last sequence of the message`, which turns
 * the broker's time index into a sequence index: ListOffsets by timestamp answers the first
 * message that holds a sequence, so replay starts at the right offset without scanning.
 * Offsets alone cannot say it: transaction markers take offsets too. The base (year 2096)
 * keeps every message above the wall-clock timestamps of those markers. The real command
 * time is in the payload.
 */
const SEQUENCE_CLOCK = 4_000_000_000_000;
const LONG_MAX = '9223372036854775807';
/** Payload: f64 first sequence, u32 count, then per command f64 timestamp + encoded command (the file journal's layout). */
const PAYLOAD_HEADER = 12;
/** How many offsets before the end the first look for the last message covers: a commit's messages and its marker. */
const TAIL_WINDOW = 16;

/**
 * The topic settings the sequence index and the log's durability rely on; `open` refuses a
 * topic that differs. The log is the source of truth, so nothing may expire it.
 */
const REQUIRED_CONFIG: Readonly<Record<string, string>> = {
  'cleanup.policy': 'delete',
  'retention.ms': '-1',
  'retention.bytes': '-1',
  'message.timestamp.type': 'CreateTime',
  'message.timestamp.after.max.ms': LONG_MAX,
};

/**
 * CommandJournal over a one-partition Kafka topic, through kafkajs.
 *
 * One append is one transaction holding one message per `maxMessageBytes` of commands (a
 * message per command measured 2.6 times slower: kafkajs pays per record). It resolves once
 * the messages (acks=all) and the commit are durable and read-committed readers can see them.
 *
 * Fencing: the writer uses a transactional producer with a fixed transactional id. Opening
 * a writer bumps the id's epoch before it reads the end of the log, which aborts the old
 * writer's open transaction and makes its next append fail, so two sequencers can never
 * commit the same sequence. (A check-and-append would race: Kafka has no conditional append.)
 * Readers consume read-committed and never see an aborted append.
 */
export class KafkaCommandJournal implements CommandJournal, CommandLogFollower {
  private readonly kafka: Kafka;
  private readonly topic: string;
  private readonly mode: 'write' | 'read';
  private readonly maxMessageBytes: number;
  private readonly writer = new BinaryWriter(1 << 20);
  private adminClient: Promise<Admin> | null = null;
  private producer: Producer | null = null;
  /** The last sequence accepted by `append` (written or queued). */
  private lastSequence = 0;
  /** Transactions run one at a time; appends made meanwhile queue behind this. */
  private tail: Promise<void> = Promise.resolve();
  private failure: Error | null = null;

  constructor(private readonly config: KafkaJournalConfig) {
    this.topic = config.topic;
    this.mode = config.mode ?? 'write';
    this.maxMessageBytes = config.maxMessageBytes ?? 512 << 10;
    this.kafka = kafkaClient(config);
  }

  /**
   * Opens the log (a writer fences every earlier one), or reopens it after a failed append:
   * the failed producer is dropped and a new one fences it, so whatever the failed append's
   * transaction left is aborted or committed before the end of the log is read.
   */
  async open(): Promise<number> {
    if (this.failure !== null && this.producer !== null) {
      const failed = this.producer;
      this.producer = null;
      await this.tail;
      await failed.disconnect().catch(() => undefined);
    }
    const admin = await this.admin();
    await this.ensureTopic(admin);
    if (this.mode === 'write' && this.producer === null) {
      const producer = this.kafka.producer({
        transactionalId: this.config.transactionalId ?? `${this.topic}.sequencer`,
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        // A crashed writer's open transaction hides later commits from readers until this expires (or a new writer fences it).
        transactionTimeout: 10_000,
        // Right after a commit the coordinator answers CONCURRENT_TRANSACTIONS until its markers are written
        // (a few ms): kafkajs's 300 ms first retry would cap the log at ~3 appends/s.
        retry: { initialRetryTime: 3, retries: 14 },
      });
      await producer.connect();
      // kafkajs sends InitProducerId on the first transaction: that is the fence.
      await (await producer.transaction()).abort();
      this.producer = producer;
    }
    this.lastSequence = await this.readLastSequence(admin);
    this.failure = null;
    return this.lastSequence;
  }

  append(commands: readonly SequencedCommand[]): Promise<void> {
    const producer = this.producer;
    if (producer === null) return Promise.reject(new Error(this.mode === 'read' ? 'a read-only command log cannot append' : 'journal is not open'));
    if (this.failure !== null) return Promise.reject(this.failure);
    if (commands.length === 0) return Promise.resolve();
    const first = commands[0]!.sequence;
    if (first !== this.lastSequence + 1) return Promise.reject(new Error(`journal expects sequence ${this.lastSequence + 1}, got ${first}`));
    for (let i = 1; i < commands.length; i++) {
      if (commands[i]!.sequence !== first + i) return Promise.reject(new Error('journal appends must be contiguous'));
    }
    const messages = this.encode(commands);
    this.lastSequence = first + commands.length - 1;
    const write = this.tail.then(() => this.commit(producer, messages));
    this.tail = write.catch(() => undefined);
    return write;
  }

  async replay(fromSequence: number, apply: (entry: SequencedCommand) => void): Promise<number> {
    const admin = await this.admin();
    const from = Math.max(fromSequence, 1);
    const end = await this.endOffset(admin);
    let last = 0;
    await this.consume(admin, await this.offsetOf(admin, from), { endOffset: end }, (value) => {
      const r = new BinaryReader(value);
      const first = r.f64();
      const count = r.u32();
      if (last === 0 ? first > from : first !== last + 1) throw new Error(`command log gap: expected ${last === 0 ? from : last + 1}, found ${first}`);
      last = first + count - 1;
      for (let i = 0; i < count; i++) {
        const timestamp = r.f64();
        const command = decodeCommand(r);
        if (first + i >= from) apply({ sequence: first + i, timestamp, command });
      }
    });
    // Nothing at or after `from`: the answer is still the log's last sequence.
    return last === 0 ? this.readLastSequence(admin, end) : last;
  }

  async follow(fromSequence: number, apply: (entry: SequencedCommand) => void, options: FollowOptions): Promise<number> {
    const admin = await this.admin();
    let next = Math.max(fromSequence, 1);
    await this.consume(admin, await this.offsetOf(admin, next), { signal: options.signal }, (value) => {
      const r = new BinaryReader(value);
      const first = r.f64();
      const count = r.u32();
      if (first > next) throw new Error(`command log gap: expected ${next}, found ${first}`);
      for (let i = 0; i < count; i++) {
        const timestamp = r.f64();
        const command = decodeCommand(r);
        if (first + i < next) continue;
        apply({ sequence: first + i, timestamp, command });
        next++;
      }
    });
    return next - 1;
  }

  async close(): Promise<void> {
    await this.tail;
    const producer = this.producer;
    const admin = this.adminClient;
    this.producer = null;
    this.adminClient = null;
    if (producer !== null) await producer.disconnect();
    if (admin !== null) await (await admin).disconnect();
  }

  private async commit(producer: Producer, messages: Message[]): Promise<void> {
    if (this.failure !== null) throw this.failure;
    let transaction: Transaction | undefined;
    try {
      transaction = await producer.transaction();
      // One send per message: kafkajs makes one record batch of a send, and the broker limits a batch like a message.
      let offset = -1;
      for (const message of messages) {
        const [metadata] = await transaction.send({ topic: this.topic, acks: -1, messages: [message] });
        offset = Number(metadata!.baseOffset);
      }
      await transaction.commit();
      // Resolving only once readers can see the append means a follower is never behind
      // what the sequencer has answered for longer than it takes to fetch; the next
      // transaction could not begin before the marker anyway (CONCURRENT_TRANSACTIONS).
      await this.waitUntilVisible(offset);
    } catch (error) {
      // Whether the commit landed is unknown, and appends queued behind it assumed it did.
      this.failure = new Error('command log append failed (fenced by a newer writer, or Kafka is unavailable); reopen the journal', { cause: error });
      await transaction?.abort().catch(() => undefined);
      throw this.failure;
    }
  }

  /** Splits an append into payloads of at most `maxMessageBytes` (a single larger command gets a message of its own). */
  private encode(commands: readonly SequencedCommand[]): Message[] {
    const w = this.writer;
    const messages: Message[] = [];
    let i = 0;
    while (i < commands.length) {
      const first = commands[i]!.sequence;
      w.reset();
      w.f64(first);
      w.u32(0);
      let count = 0;
      let size = PAYLOAD_HEADER;
      for (; i < commands.length; i++) {
        const entry = commands[i]!;
        w.f64(entry.timestamp);
        encodeCommand(w, entry.command);
        if (w.offset > this.maxMessageBytes && count > 0) break;
        size = w.offset;
        count++;
      }
      const value = Buffer.from(w.view().subarray(0, size));
      value.writeUInt32LE(count, 8);
      messages.push({ value, timestamp: String(SEQUENCE_CLOCK + first + count - 1) });
    }
    return messages;
  }

  private async ensureTopic(admin: Admin): Promise<void> {
    const replicationFactor = this.config.replicationFactor ?? 1;
    if (!(await admin.listTopics()).includes(this.topic)) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: [
          {
            topic: this.topic,
            numPartitions: 1,
            replicationFactor,
            configEntries: [
              ...Object.entries(REQUIRED_CONFIG).map(([name, value]) => ({ name, value })),
              // acks=all then waits for a majority of the replicas; one node has only itself.
              { name: 'min.insync.replicas', value: String(Math.max(1, replicationFactor - 1)) },
              { name: 'unclean.leader.election.enable', value: 'false' },
            ],
          },
        ],
      });
    }
    const [metadata] = (await admin.fetchTopicMetadata({ topics: [this.topic] })).topics;
    if (metadata?.partitions.length !== 1) throw new Error(`command log topic ${this.topic} must have exactly one partition`);
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: 2 /* TOPIC */, name: this.topic, configNames: Object.keys(REQUIRED_CONFIG) }],
    });
    for (const entry of described.resources[0]?.configEntries ?? []) {
      const required = REQUIRED_CONFIG[entry.configName];
      if (required !== undefined && entry.configValue !== required) {
        throw new Error(`command log topic ${this.topic} needs ${entry.configName}=${required}, has ${entry.configValue}`);
      }
    }
  }

  /**
   * kafkajs's commit resolves once the coordinator has decided it; the partition's marker,
   * which lets read-committed consumers past the messages, follows within milliseconds.
   */
  private async waitUntilVisible(offset: number): Promise<void> {
    const admin = await this.admin();
    while ((await this.endOffset(admin)) <= offset) await new Promise((resolve) => setTimeout(resolve, 2));
  }

  /** The last stable offset: the end of what read-committed consumers can see now. */
  private async endOffset(admin: Admin): Promise<number> {
    const [partition] = await admin.fetchTopicOffsets(this.topic);
    return Number(partition!.high);
  }

  /** Offset of the first message that holds `sequence` (or a lower one), else the end. */
  private async offsetOf(admin: Admin, sequence: number): Promise<number> {
    const [partition] = await admin.fetchTopicOffsetsByTimestamp(this.topic, SEQUENCE_CLOCK + sequence);
    return Number(partition!.offset);
  }

  /**
   * Reads the last committed message. It sits just before the end unless aborted
   * transactions follow it, so look back further until one is found or the log starts.
   */
  private async readLastSequence(admin: Admin, end?: number): Promise<number> {
    const [partition] = await admin.fetchTopicOffsets(this.topic);
    const low = Number(partition!.low);
    const high = end ?? Number(partition!.high);
    for (let window = TAIL_WINDOW; ; window *= 4) {
      const start = Math.max(low, high - window);
      let last = 0;
      await this.consume(admin, start, { endOffset: high }, (value) => {
        last = value.readDoubleLE(0) + value.readUInt32LE(8) - 1;
      });
      if (last > 0 || start === low) return last;
    }
  }

  /**
   * Feeds committed message values from `start` on to `onValue`, until the offset before
   * `endOffset` was passed or `signal` aborts. kafkajs consumes only in a group: a fresh one
   * that commits nothing, seeks to `start` before its first fetch and is deleted afterwards.
   */
  private async consume(
    admin: Admin,
    start: number,
    stop: { endOffset: number } | { signal: AbortSignal },
    onValue: (value: Buffer) => void,
  ): Promise<void> {
    const endOffset = 'endOffset' in stop ? stop.endOffset : Infinity;
    const signal = 'signal' in stop ? stop.signal : undefined;
    if (start >= endOffset || signal?.aborted) return;
    const groupId = `${this.config.clientId}.reader.${randomUUID()}`;
    const consumer = this.kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      maxBytesPerPartition: 8 << 20,
      // Bounds an idle long poll only: new messages are answered at once.
      maxWaitTimeInMs: 500,
      // A restarted kafkajs consumer resumes from committed offsets, and this one commits none:
      // it would skip to the end. Fail instead; the caller resumes from its last sequence.
      retry: { restartOnFailure: async () => false },
    });
    let finished = false;
    let finish!: (error?: unknown) => void;
    const done = new Promise<void>((resolve, reject) => {
      finish = (error) => {
        if (finished) return;
        finished = true;
        if (error === undefined) resolve();
        else reject(error instanceof Error ? error : new Error(String(error)));
      };
    });
    // Awaited below unless connecting fails first; a failure after that must not go unhandled.
    done.catch(() => undefined);
    // Batches of markers or aborted messages never reach eachBatch, only this event.
    const passed = (offset: string): void => {
      if (Number(offset) >= endOffset - 1) finish();
    };
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => passed(payload.lastOffset));
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) finish(payload.error);
    });
    const onAbort = (): void => finish();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [this.topic] });
      // Not awaited: a seek made before the group is joined applies to the first fetch (kafkajs's documented way).
      const running = consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch, isStale }) => {
          if (isStale()) return;
          for (const message of batch.messages) {
            if (finished || Number(message.offset) >= endOffset) return;
            try {
              onValue(message.value!);
            } catch (error) {
              finish(error);
              return;
            }
          }
          passed(batch.lastOffset());
        },
      });
      consumer.seek({ topic: this.topic, partition: 0, offset: String(start) });
      await running;
      await done;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      await consumer.disconnect();
      // The group holds nothing worth keeping; if deleting fails it expires with the broker's offset retention.
      await admin.deleteGroups([groupId]).catch(() => undefined);
    }
  }

  private admin(): Promise<Admin> {
    this.adminClient ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      return admin;
    })().catch((error: unknown) => {
      this.adminClient = null;
      throw error;
    });
    return this.adminClient;
  }
}
