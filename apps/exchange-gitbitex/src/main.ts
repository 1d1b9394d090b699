import 'reflect-metadata';
import { runMain } from '@sd/app/main';
import { gitbitexConfigFromEnv } from './config';
import { startGitbitex } from './server';

runMain(async () => {
  const config = gitbitexConfigFromEnv(process.env);
  const exchange = await startGitbitex(config);
  const { logger } = exchange;
  logger.info(
    { url: exchange.url, metrics: `${exchange.metricsUrl}/metrics`, mode: config.mode, dataDir: config.dataDir, page: config.webDir, coinbaseApi: config.coinbaseApiPath, faucet: config.faucet !== null },
    'exchange for gitbitex-web listening',
  );
  return { logger, close: () => exchange.close() };
});
