import { serveExchange, type RunningExchange } from '@sd/app-exchange/server';
import type { ExchangeContainerOptions } from '@sd/app-exchange/container';
import type { GitbitexConfig } from './config';
import { createGitbitexContainer } from './container';

/** Builds the container from config and serves it: what `main` runs, and what end-to-end tests start. */
export async function startGitbitex(config: GitbitexConfig, options: ExchangeContainerOptions = {}): Promise<RunningExchange> {
  return serveExchange(await createGitbitexContainer(config, options), config);
}
