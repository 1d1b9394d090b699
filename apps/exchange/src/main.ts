import 'reflect-metadata';
import { runMain } from '@sd/app/main';
import { Logger } from '@sd/domain/logger';
import { exchangeConfigFromEnv } from './config';
import { startExchange } from './server';

runMain(async () => {
  const config = exchangeConfigFromEnv(process.env);
  const exchange = await startExchange(config);
  const logger = exchange.container.get<Logger>(Logger);
  logger.info({ url: exchange.url, metrics: `${exchange.metricsUrl}/metrics`, mode: config.mode, dataDir: config.dataDir, faucet: config.faucet !== null, readSide: config.readSide }, 'exchange listening');
  return { logger, close: () => exchange.close() };
});
