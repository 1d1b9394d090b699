import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gitbitexConfigFromEnv } from './config';
import { startGitbitex } from './server';
import { describeGitbitexContract } from './testing/gitbitex-contract';

// The embedded default, as ./scripts/start-gitbitex runs it, on a loopback port and a temporary data directory.
describeGitbitexContract('embedded default', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sd-gitbitex-'));
  const exchange = await startGitbitex(gitbitexConfigFromEnv({ HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir, DEMO_MARKET: 'off', LOG_LEVEL: 'silent' }));
  return {
    urls: [exchange.url],
    close: async () => {
      await exchange.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
});
