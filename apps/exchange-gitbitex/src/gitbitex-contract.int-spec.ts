import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { distributedEnv } from '@sd/app-exchange/testing/distributed-env';
import type { RunningApp } from '@sd/app/app-container';
import { isolatedPostgresSchema } from '@sd/orm/testing/postgres-schema';
import { serviceUrl } from '@sd/testing/services';
import { gitbitexConfigFromEnv } from './config';
import { startGitbitex } from './server';
import { describeGitbitexContract } from './testing/gitbitex-contract';

jest.setTimeout(120_000);

// Distributed mode on the real Kafka, PostgreSQL and Redis: the engine leader with the history
// writer in one process, and two API processes serving gitbitex-web over replicas of the log.
describeGitbitexContract('distributed on Kafka, PostgreSQL and Redis, two API processes', async () => {
  const schema = await isolatedPostgresSchema(serviceUrl('postgres'), 'gitbitex_contract');
  const env = { ...distributedEnv('gitbitex', schema.url), PORT: '0', LOG_LEVEL: 'silent' };
  const dirs: string[] = [];
  const running: RunningApp[] = [];
  const start = async (roles: string): Promise<RunningApp> => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sd-gitbitex-dist-'));
    dirs.push(dataDir);
    const exchange = await startGitbitex(gitbitexConfigFromEnv({ ...env, ROLES: roles, DATA_DIR: dataDir }));
    running.push(exchange);
    return exchange;
  };
  await start('engine,history');
  const apis = [await start('api'), await start('api')];
  return {
    urls: apis.map((api) => api.url),
    close: async () => {
      for (const exchange of running.reverse()) await exchange.close();
      await schema.drop();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    },
  };
});
