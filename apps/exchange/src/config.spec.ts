import { resolve } from 'node:path';
import { configurationDrift } from '@sd/app/testing/env-reads';

describe('docs/configuration.md', () => {
  it('lists every variable exchangeConfigFromEnv reads, through every function it calls, and no other', () => {
    const root = resolve(__dirname, '../../..');
    expect(configurationDrift({ root, appDir: 'apps/exchange', reader: 'exchangeConfigFromEnv' })).toEqual({ undocumented: [], stale: [], unresolved: [] });
  }, 60_000);
});
