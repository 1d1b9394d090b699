import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { configurationDrift } from '@sd/app/testing/env-reads';
import { gitbitexConfigFromEnv } from './config';

describe('gitbitex app config', () => {
  it('is the exchange config with the old backend\'s port, a data directory of its own and week-long access tokens', () => {
    const config = gitbitexConfigFromEnv({});
    expect(config.http.port).toBe(9090);
    expect(config.dataDir).toBe(resolve(__dirname, '../../../var/exchange-gitbitex'));
    expect(config.auth.accessTokenTtlSeconds).toBe(604_800);
    expect(config.webDir).toBeNull();
    expect(gitbitexConfigFromEnv({ PORT: '8090', DATA_DIR: '/tmp/x', ACCESS_TOKEN_TTL_SECONDS: '900' })).toMatchObject({ http: { port: 8090 }, dataDir: '/tmp/x', auth: { accessTokenTtlSeconds: 900 } });
  });

  it('takes a directory holding a gitbitex-web build, and refuses one without index.html', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sd-gitbitex-web-'));
    try {
      expect(() => gitbitexConfigFromEnv({ GITBITEX_WEB_DIR: dir })).toThrow(/must hold a gitbitex-web build/);
      mkdirSync(join(dir, 'assets'));
      writeFileSync(join(dir, 'index.html'), '<!doctype html>');
      expect(gitbitexConfigFromEnv({ GITBITEX_WEB_DIR: dir }).webDir).toBe(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lists every variable it reads, through every function it calls, in docs/configuration.md, and no other', () => {
    const root = resolve(__dirname, '../../..');
    expect(configurationDrift({ root, appDir: 'apps/exchange-gitbitex', reader: 'gitbitexConfigFromEnv' })).toEqual({ undocumented: [], stale: [], unresolved: [] });
  }, 60_000);
});
