import type { Candle } from '@sd/domain/exchange/market-data';
import type { MessageQueue, Subscription } from '@sd/domain/mq';

/**
 * The candles the read side stored, told to every push server: the history writer publishes
 * what a projection changed, so push forwards it instead of querying the read side back.
 */
export class CandleTopic {
  constructor(
    private readonly mq: MessageQueue,
    private readonly topic: string,
  ) {}

  async publish(candles: readonly Candle[]): Promise<void> {
    if (candles.length > 0) await this.mq.publish(this.topic, [{ key: 'candles', value: Buffer.from(JSON.stringify(candles)) }]);
  }

  /** Every later candle change, to `handle`; each subscriber is its own group and starts from now. */
  subscribe(groupId: string, handle: (candles: readonly Candle[]) => void, onError: (error: unknown) => void): Promise<Subscription> {
    return this.mq.subscribe({
      topic: this.topic,
      groupId,
      startFrom: 'latest',
      onError,
      handler: async (batch) => {
        for (const message of batch.messages) handle(JSON.parse(message.value.toString()) as Candle[]);
        await batch.commit();
      },
    });
  }
}
