import 'reflect-metadata';
import { Logger } from '@sd/domain/logger';
import { exchangeConfigFromEnv } from './config';
import { startExchange } from './server';

async function main(): Promise<void> {
  const config = exchangeConfigFromEnv(process.env);
  const exchange = await startExchange(config);
  const logger = exchange.container.get<Logger>(Logger);
  logger.info({ url: exchange.url, mode: config.mode, dataDir: config.dataDir, faucet: config.faucet !== null }, 'exchange listening');

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await exchange.close();
    process.exit(0);
  };
  process.on('SIGINT', (signal) => void shutdown(signal));
  process.on('SIGTERM', (signal) => void shutdown(signal));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
