import type { EngineOutput } from '@sd/domain/exchange/engine-output';
import type { CommandOutcome } from '@sd/domain/exchange/event';
import type { MessageQueue, Subscription } from '@sd/domain/mq';

/**
 * The engine output on the message queue: one message per sequencer batch, JSON (every amount
 * is an integer in minor units, so JSON is exact), headed by its sequence range.
 */
export class MessageQueueEngineOutput implements EngineOutput {
  /** `topic` has one partition, so every consumer sees sequence order. */
  constructor(
    private readonly mq: MessageQueue,
    private readonly topic: string,
  ) {}

  async publish(outcomes: readonly CommandOutcome[]): Promise<void> {
    if (outcomes.length === 0) return;
    await this.mq.publish(this.topic, [
      {
        key: 'engine',
        value: encodeOutcomes(outcomes),
        headers: { first: String(outcomes[0]!.sequence), last: String(outcomes[outcomes.length - 1]!.sequence) },
      },
    ]);
  }
}

export interface OutcomeConsumer {
  /** Consumer group: each group gets every outcome once per commit (at least once). */
  groupId: string;
  /**
   * Called in sequence order with the messages of a batch (`decodeOutcomes` reads them; a
   * consumer in a worker thread hands the bytes over undecoded); the batch is committed when
   * it resolves, retried when it throws.
   */
  handle(messages: readonly Buffer[]): Promise<void>;
  onError(error: unknown): void;
  /** A new group starts from the beginning of what the queue retains, or from now. */
  startFrom?: 'earliest' | 'latest';
}

/** Subscribes one consumer of engine outcomes; outcomes it already saw must be ignored by `handle`. */
export async function subscribeOutcomes(mq: MessageQueue, topic: string, consumer: OutcomeConsumer): Promise<Subscription> {
  return mq.subscribe({
    topic,
    groupId: consumer.groupId,
    startFrom: consumer.startFrom ?? 'earliest',
    maxBatchSize: 64,
    // `handle` ignores outcomes it saw, and the group only shares progress: a stuck consumer
    // may be replaced in a fresh group without waiting for it to leave.
    regroupWhenStalled: true,
    onError: consumer.onError,
    handler: async (batch) => {
      await consumer.handle(batch.messages.map((message) => message.value));
      await batch.commit();
    },
  });
}

/** One engine-output message: JSON, exact because every amount is an integer in minor units. */
export function encodeOutcomes(outcomes: readonly CommandOutcome[]): Buffer {
  return Buffer.from(JSON.stringify(outcomes));
}

/** The outcomes of engine-output messages, in order. */
export function decodeOutcomes(messages: readonly Uint8Array[]): CommandOutcome[] {
  const outcomes: CommandOutcome[] = [];
  for (const message of messages) for (const outcome of JSON.parse(Buffer.from(message.buffer, message.byteOffset, message.byteLength).toString()) as CommandOutcome[]) outcomes.push(outcome);
  return outcomes;
}
