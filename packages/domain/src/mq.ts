/**
 * Message queue port: partitioned, ordered logs with consumer groups and explicit commits
 * (at-least-once). Adapters in kit/mq: memory (embedded default) and Kafka, bound by
 * `@sd/mq/mq.module`; both pass the contract suite in kit/mq/src/testing/mq-contract.ts.
 */
export interface MessageQueue {
  /** Creates the topic if it does not exist; a no-op when it does. */
  ensureTopic(topic: string, options?: { partitions?: number }): Promise<void>;

  /**
   * Appends messages in order. Messages with the same key go to the same partition and keep
   * their relative order. Resolves once the adapter holds them durably (Kafka: acks=all).
   */
  publish(topic: string, messages: readonly OutgoingMessage[]): Promise<void>;

  /**
   * Joins `groupId` on `topic`. Partitions are shared among the group's live subscriptions.
   * Per partition, `handler` calls never overlap and see messages in offset order; nothing is
   * fetched for a partition while its handler runs (back-pressure). Only offsets passed to
   * `batch.commit` count: after a rebalance or restart, delivery resumes after the last commit.
   */
  subscribe(options: SubscribeOptions): Promise<Subscription>;

  /** Closes every subscription (see `Subscription.close`) and the connections. */
  close(): Promise<void>;
}

export const MessageQueue = Symbol.for('sd.MessageQueue');

export interface OutgoingMessage {
  /** Partitioning key; messages without a key are spread over partitions. */
  key?: string;
  value: Buffer;
  headers?: Readonly<Record<string, string>>;
}

export interface IncomingMessage {
  topic: string;
  partition: number;
  /** Decimal string: Kafka offsets are 64-bit. */
  offset: string;
  key: string | undefined;
  value: Buffer;
  headers: Readonly<Record<string, string>>;
}

export interface MessageBatch {
  topic: string;
  partition: number;
  messages: readonly IncomingMessage[];
  /** Commits every message of this batch up to and including `upTo` (default: the last one). */
  commit(upTo?: IncomingMessage): Promise<void>;
}

export interface SubscribeOptions {
  topic: string;
  groupId: string;
  /** Where a group with no committed offset starts. Default: `latest`. */
  startFrom?: 'earliest' | 'latest';
  /** Upper bound of messages handed to one handler call. */
  maxBatchSize?: number;
  handler: (batch: MessageBatch) => Promise<void>;
  /** Called when `handler` throws; the same batch is then delivered again. */
  onError?: (error: unknown) => void;
  /** Called with this subscription's partitions after every (re)assignment. */
  onAssigned?: (partitions: readonly number[]) => void;
  /**
   * A consumer with messages waiting that makes no progress for the adapter's stall timeout is
   * replaced by one in a fresh group that starts at the stuck group's committed offsets (it
   * never waits for the stuck member to leave). Only for a handler that ignores what it has
   * seen and a group not used to elect a single owner. Kafka only; default false.
   */
  regroupWhenStalled?: boolean;
}

export interface Subscription {
  /**
   * Leaves the group: waits for the in-flight handler call, then releases the partitions.
   * Uncommitted messages go to the next member (or the next subscription of the group).
   */
  close(): Promise<void>;
}
