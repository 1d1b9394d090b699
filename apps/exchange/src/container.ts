import type { Application } from 'express';
import { Container } from 'inversify';
import { Logger } from '@sd/domain/logger';
import { createHttpApp } from '@sd/http/http-app';
import { createLogger } from '@sd/logging/logger';
import { Metrics } from '@sd/metrics/metrics';
import { mqModule } from '@sd/mq/mq.module';
import type { ExchangeConfig } from './config';

/** The express app this process serves. */
export const HttpApp = Symbol.for('app.exchange.HttpApp');

/** Builds the whole exchange app from its config; `main` and the tests both start here. */
export async function createExchangeContainer(config: ExchangeConfig): Promise<Container> {
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind(Logger).toConstantValue(createLogger({ name: 'exchange', level: config.logLevel }));
  container.bind(Metrics).toConstantValue(new Metrics({ defaultMetrics: true }));
  container.load(mqModule(config.mq));
  container
    .bind<Application>(HttpApp)
    .toResolvedValue(
      (logger: Logger, metrics: Metrics) =>
        createHttpApp({
          logger,
          metrics,
          routes: (app) => {
            app.get('/api/health', (_req, res) => void res.json({ status: 'ok' }));
            app.get('/metrics', async (_req, res) => {
              const { contentType, body } = await metrics.expose();
              res.type(contentType).send(body);
            });
          },
        }),
      [Logger, Metrics],
    );
  return container;
}
