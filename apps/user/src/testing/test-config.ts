import { serveApp, type RunningApp } from '@sd/app/app-container';
import { testAuthAppConfig } from '@sd/auth/testing';
import type { UserConfig } from '../config';
import { createUserContainer } from '../container';

/** A config for tests: `testAuthAppConfig` with `auth` as its settings. */
export function testConfig(overrides: Partial<Omit<UserConfig, 'auth'>> & { auth?: UserConfig['auth']['settings'] } = {}): UserConfig {
  const { auth, ...rest } = overrides;
  return { ...testAuthAppConfig(auth), ...rest };
}

/** The user app on `testConfig`, listening on a loopback port: the auth service other apps' suites run against with AUTH=remote. */
export async function serveTestUserApp(overrides: Parameters<typeof testConfig>[0] = {}): Promise<RunningApp> {
  return serveApp(await createUserContainer(testConfig(overrides)), { port: 0 });
}
