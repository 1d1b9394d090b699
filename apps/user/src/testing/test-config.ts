import { serveApp, type RunningApp } from '@sd/app/app-container';
import { testAuthConfig } from '@sd/auth/testing';
import type { UserConfig } from '../config';
import { createUserContainer } from '../container';

/** A config for tests: embedded SQL, memory cache, `testAuthConfig` with `auth` as its settings. */
export function testConfig(overrides: Partial<Omit<UserConfig, 'auth'>> & { auth?: UserConfig['auth']['settings'] } = {}): UserConfig {
  const { auth, ...rest } = overrides;
  return {
    http: { host: '127.0.0.1', port: 0 },
    metrics: { host: '127.0.0.1', port: 0 },
    trustProxy: ['loopback'],
    logLevel: 'silent',
    sql: { kind: 'embedded' },
    cache: { kind: 'memory' },
    rateLimiter: { kind: 'memory' },
    ...rest,
    auth: testAuthConfig(auth),
  };
}

/** The user app on `testConfig`, listening on a loopback port: the auth service other apps' suites run against with AUTH=remote. */
export async function serveTestUserApp(overrides: Parameters<typeof testConfig>[0] = {}): Promise<RunningApp> {
  return serveApp(await createUserContainer(testConfig(overrides)), { port: 0 });
}
