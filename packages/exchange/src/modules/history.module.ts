import { ContainerModule } from 'inversify';
import { Lifecycle } from '@sd/app/app-container';
import { Logger } from '@sd/domain/logger';
import { MessageQueue } from '@sd/domain/mq';
import { CandleTopic } from '../repository/mq/candle-topic';
import { subscribeOutcomes } from '../repository/mq/outcome-topic';
import { ExchangeTopicsReady } from './exchange.module';
import { ReadSide } from './read-side.module';
import type { ExchangeTopics } from './settings';

/** The history writer's role: projecting the outcome topic into the read side. */
export const HistoryWriter = Symbol.for('sd.exchange.HistoryWriter');

/**
 * The history writer: consumes the outcome topic in one consumer group shared by every
 * process that writes the read side (so they share its progress), projects each batch, and
 * tells push, through the candle topic, what it stored.
 */
export function historyModule(): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(HistoryWriter)
      .toResolvedValue(
        async (topics: ExchangeTopics, mq: MessageQueue, readSide: ReadSide, candles: CandleTopic, logger: Logger, lifecycle: Lifecycle) => {
          const groupId = `${topics.outcomes}.read-side`;
          const subscription = await subscribeOutcomes(mq, topics.outcomes, {
            groupId,
            handle: async (messages) => candles.publish((await readSide.project(messages)).candles),
            onError: (error) => logger.error({ err: error, groupId }, 'outcome consumer failed; the batch will be delivered again'),
          });
          lifecycle.onStop(() => subscription.close());
          return subscription;
        },
        [ExchangeTopicsReady, MessageQueue, ReadSide, CandleTopic, Logger, Lifecycle],
      )
      .inSingletonScope();
  });
}
