import { ContainerModule } from 'inversify';
import { Clock } from '@sd/domain/exchange/clock';
import { MessageQueue } from '@sd/domain/mq';
import { CandleTopic } from '../repository/mq/candle-topic';
import { ProductCatalog } from '../usecase/core/catalog/product-catalog';
import { ExchangeSettings, type ExchangeTopics } from './settings';

/** The exchange's topics, created on the message queue (one partition each: one order) before anyone uses them. */
export const ExchangeTopicsReady = Symbol.for('sd.exchange.ExchangeTopicsReady');

/**
 * What every role of the exchange shares: its settings, its clock (the sequencer stamps
 * commands with it, 24 h windows end at it), the product catalog and the topics.
 * Load it with `mqModule`, `readSideModule`, one engine module and the role modules.
 */
export function exchangeModule(settings: ExchangeSettings, clock: Clock): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<ExchangeSettings>(ExchangeSettings).toConstantValue(settings);
    bind<Clock>(Clock).toConstantValue(clock);
    bind(ProductCatalog).toConstantValue(new ProductCatalog(settings.currencies, settings.products));
    bind<ExchangeTopics>(ExchangeTopicsReady)
      .toResolvedValue(
        async (mq: MessageQueue) => {
          const { topics } = settings;
          for (const topic of [topics.outcomes, topics.requests, topics.replies, topics.candles]) await mq.ensureTopic(topic, { partitions: 1 });
          return topics;
        },
        [MessageQueue],
      )
      .inSingletonScope();
    bind(CandleTopic)
      .toResolvedValue((mq: MessageQueue, topics: ExchangeTopics) => new CandleTopic(mq, topics.candles), [MessageQueue, ExchangeTopicsReady])
      .inSingletonScope();
  });
}
