import { serveApp, type RunningApp } from '@sd/app/app-container';
import type { ExchangeContainerOptions } from '@sd/app-exchange/container';
import type { GitbitexConfig } from './config';
import { createGitbitexContainer } from './container';

/** Builds the container from config and serves it: what `main` runs, and what end-to-end tests start. */
export async function startGitbitex(config: GitbitexConfig, options: ExchangeContainerOptions = {}): Promise<RunningApp> {
  return serveApp(await createGitbitexContainer(config, options), config.http, config.metrics);
}
