import type {
  IncomingMessage,
  MessageBatch,
  MessageQueue,
  OutgoingMessage,
  SubscribeOptions,
  Subscription,
} from '@sd/domain/mq';

export interface MemoryMqOptions {
  /** Partitions of a topic that is created without an explicit count. Default 1. */
  defaultPartitions?: number;
  /**
   * Messages a partition may hold beyond the slowest live consumer group's commit before
   * `publish` waits (back-pressure); with no live group it is the retention bound. Default 100k.
   */
  partitionCapacity?: number;
}

/** Wakes every waiter at once; waiters re-check their condition (a condition variable). */
class Signal {
  private waiters: Array<() => void> = [];

  wait(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

class PartitionLog {
  private entries: IncomingMessage[] = [];
  /** Index in `entries` of the message at `baseOffset`; trimming advances it, compaction resets it. */
  private head = 0;
  baseOffset = 0;

  get endOffset(): number {
    return this.baseOffset + this.entries.length - this.head;
  }

  append(message: IncomingMessage): void {
    this.entries.push(message);
  }

  read(fromOffset: number, max: number): IncomingMessage[] {
    const start = this.head + Math.max(fromOffset, this.baseOffset) - this.baseOffset;
    return this.entries.slice(start, start + max);
  }

  trimBelow(offset: number): void {
    const drop = Math.min(offset, this.endOffset) - this.baseOffset;
    if (drop <= 0) return;
    this.head += drop;
    this.baseOffset += drop;
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }
}

interface Member {
  readonly options: SubscribeOptions;
  readonly maxBatchSize: number;
  inflight: number;
  readonly idle: Signal;
}

class ConsumerGroup {
  readonly members: Member[] = [];
  readonly owners: Array<Member | undefined>;
  /** Next offset to deliver after a (re)assignment, per partition. */
  readonly committed: number[];
  readonly wake = new Signal();

  constructor(
    private readonly topic: MemoryTopic,
    startFrom: 'earliest' | 'latest',
  ) {
    this.owners = topic.partitions.map(() => undefined);
    this.committed = topic.partitions.map((log) => (startFrom === 'earliest' ? log.baseOffset : log.endOffset));
    topic.partitions.forEach((_, partition) => void this.drive(partition));
  }

  get live(): boolean {
    return this.members.length > 0;
  }

  join(member: Member): void {
    this.members.push(member);
    this.rebalance();
  }

  async leave(member: Member): Promise<void> {
    this.members.splice(this.members.indexOf(member), 1);
    this.rebalance();
    while (member.inflight > 0) await member.idle.wait();
  }

  commit(partition: number, nextOffset: number): void {
    if (nextOffset > (this.committed[partition] ?? 0)) this.committed[partition] = nextOffset;
    this.topic.onCommit();
  }

  private rebalance(): void {
    this.owners.forEach((_, partition) => {
      this.owners[partition] = this.members[partition % this.members.length];
    });
    for (const member of this.members) {
      member.options.onAssigned?.(this.owners.flatMap((owner, partition) => (owner === member ? [partition] : [])));
    }
    this.wake.notify();
  }

  /** One loop per partition: handler calls never overlap, and nothing is read while one runs. */
  private async drive(partition: number): Promise<void> {
    const log = this.topic.partitions[partition]!;
    let owner: Member | undefined;
    let position = 0;
    while (!this.topic.closed) {
      const current = this.owners[partition];
      if (current !== owner) {
        owner = current;
        position = Math.max(this.committed[partition] ?? 0, log.baseOffset);
      }
      const messages = owner ? log.read(position, owner.maxBatchSize) : [];
      if (!owner || messages.length === 0) {
        await this.wake.wait();
        continue;
      }
      owner.inflight++;
      try {
        await owner.options.handler(this.batch(partition, messages));
        position += messages.length;
      } catch (error) {
        owner.options.onError?.(error);
        await new Promise((resolve) => setTimeout(resolve, 10));
      } finally {
        owner.inflight--;
        owner.idle.notify();
      }
    }
  }

  private batch(partition: number, messages: IncomingMessage[]): MessageBatch {
    return {
      topic: this.topic.name,
      partition,
      messages,
      commit: async (upTo = messages[messages.length - 1]) => {
        if (upTo) this.commit(partition, Number(upTo.offset) + 1);
      },
    };
  }
}

class MemoryTopic {
  readonly partitions: PartitionLog[];
  readonly groups = new Map<string, ConsumerGroup>();
  private readonly drained = new Signal();
  private roundRobin = 0;
  closed = false;

  constructor(
    readonly name: string,
    partitionCount: number,
    private readonly capacity: number,
  ) {
    this.partitions = Array.from({ length: partitionCount }, () => new PartitionLog());
  }

  group(groupId: string, startFrom: 'earliest' | 'latest'): ConsumerGroup {
    let group = this.groups.get(groupId);
    if (!group) {
      group = new ConsumerGroup(this, startFrom);
      this.groups.set(groupId, group);
    }
    return group;
  }

  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    for (const message of messages) {
      const partition = this.partitionFor(message.key);
      const log = this.partitions[partition]!;
      while (!this.closed && log.endOffset - (this.slowestLiveCommit(partition) ?? Infinity) >= this.capacity) {
        await this.drained.wait();
      }
      if (this.closed) throw new Error(`memory mq: topic ${this.name} is closed`);
      log.append({
        topic: this.name,
        partition,
        offset: String(log.endOffset),
        key: message.key,
        value: message.value,
        headers: message.headers ?? {},
      });
      this.trim(partition);
      // Wake consumers per message: a publisher blocked on capacity needs them running.
      for (const group of this.groups.values()) group.wake.notify();
    }
  }

  onCommit(): void {
    this.partitions.forEach((_, partition) => this.trim(partition));
    this.drained.notify();
  }

  close(): void {
    this.closed = true;
    this.drained.notify();
    for (const group of this.groups.values()) group.wake.notify();
  }

  /** The oldest offset some live group still needs, if any group is live. */
  private slowestLiveCommit(partition: number): number | undefined {
    let low: number | undefined;
    for (const group of this.groups.values()) {
      if (group.live) low = Math.min(low ?? Infinity, group.committed[partition] ?? 0);
    }
    return low;
  }

  /** Drops what every live group has committed; with none live, keeps the last `capacity`. */
  private trim(partition: number): void {
    const log = this.partitions[partition]!;
    log.trimBelow(this.slowestLiveCommit(partition) ?? log.endOffset - this.capacity);
  }

  private partitionFor(key: string | undefined): number {
    if (key === undefined) return this.roundRobin++ % this.partitions.length;
    let hash = 0x811c9dc5; // FNV-1a: stable across runs, so a key always maps to one partition
    for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
    return (hash >>> 0) % this.partitions.length;
  }
}

/**
 * The shared state of in-process queues: topics, partitions and consumer groups. One broker
 * per process; every `MemoryMessageQueue` over it behaves like a separate client.
 */
export class MemoryBroker {
  private readonly topics = new Map<string, MemoryTopic>();
  private readonly defaultPartitions: number;
  private readonly capacity: number;

  constructor(options: MemoryMqOptions = {}) {
    this.defaultPartitions = options.defaultPartitions ?? 1;
    this.capacity = options.partitionCapacity ?? 100_000;
  }

  topic(name: string, partitions?: number): MemoryTopic {
    let topic = this.topics.get(name);
    if (!topic) {
      topic = new MemoryTopic(name, partitions ?? this.defaultPartitions, this.capacity);
      this.topics.set(name, topic);
    }
    return topic;
  }

  /** Stops every consumer loop and fails waiting publishers. */
  close(): void {
    for (const topic of this.topics.values()) topic.close();
  }
}

/**
 * In-process message queue for the embedded default and unit tests; nothing survives a
 * restart. Closing it closes its own subscriptions and leaves the broker to other clients.
 */
export class MemoryMessageQueue implements MessageQueue {
  private readonly subscriptions = new Set<Subscription>();

  constructor(private readonly broker: MemoryBroker = new MemoryBroker()) {}

  async ensureTopic(topic: string, options?: { partitions?: number }): Promise<void> {
    this.broker.topic(topic, options?.partitions);
  }

  async publish(topic: string, messages: readonly OutgoingMessage[]): Promise<void> {
    await this.broker.topic(topic).publish(messages);
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    const group = this.broker.topic(options.topic).group(options.groupId, options.startFrom ?? 'latest');
    const member: Member = { options, maxBatchSize: options.maxBatchSize ?? 500, inflight: 0, idle: new Signal() };
    group.join(member);
    let closing: Promise<void> | undefined;
    const subscription: Subscription = {
      close: () => {
        closing ??= group.leave(member).then(() => void this.subscriptions.delete(subscription));
        return closing;
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
  }
}
