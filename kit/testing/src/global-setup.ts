import { provideServices, type ServiceName } from './services';

/**
 * Jest `globalSetup` for integration projects. The project lists the services it needs in
 * `globals.services`; containers started here are stopped by `global-teardown`.
 */
export default async function globalSetup(
  _globalConfig: unknown,
  projectConfig: { globals?: { services?: ServiceName[] } },
): Promise<void> {
  const stop = await provideServices(projectConfig.globals?.services ?? []);
  (globalThis as { __sdStopServices?: () => Promise<void> }).__sdStopServices = stop;
}
