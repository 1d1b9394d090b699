import type { Authenticator } from '@sd/domain/auth/authenticator';
import { createHttpApp } from '@sd/http/http-app';
import { listen, type RunningServer } from '@sd/http/server';
import { silentLogger } from '@sd/logging/logger';
import { createAuthServiceRouter } from '../delivery/http/auth-service.router';

/** The user service's verification API over `authenticator`, listening on a loopback port. */
export function serveAuthService(authenticator: Authenticator): Promise<RunningServer> {
  return listen(createHttpApp({ logger: silentLogger, routes: (app) => app.use(createAuthServiceRouter(authenticator)) }), { port: 0 });
}
