import type { Application, Router } from 'express';
import type { Container } from 'inversify';
import { createAppContainer, type AppOptions } from '@sd/app/app-container';
import { loadAuthApp } from '@sd/auth/auth-app.module';
import { AuthRouter, AuthServiceRouter } from '@sd/auth/auth.module';
import { httpAppModule } from '@sd/http/http-app.module';
import type { UserConfig } from './config';

/**
 * The user app: the auth domain over HTTP, `/api/users...` for people and the verification API
 * for the other services. `main` and the tests build it here.
 */
export async function createUserContainer(config: UserConfig, options: AppOptions = {}): Promise<Container> {
  const container = createAppContainer({ name: 'user', logLevel: config.logLevel, logger: options.logger });
  await loadAuthApp(container, config, { clock: options.clock });
  container.load(
    httpAppModule({
      trustProxy: config.trustProxy,
      inject: [AuthRouter, AuthServiceRouter],
      mount: (app: Application, users: Router, service: Router) => {
        app.use('/api', users);
        app.use(service);
      },
    }),
  );
  return container;
}
