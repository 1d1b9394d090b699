import type { Router } from 'express';
import { apiRouter } from '@sd/http/express-lane';
import { authRoutes, type AuthRoutesDeps } from './auth.routes';

/** The users API (`authRoutes`) as an express router, for an app that serves it all through express under `mountPath`. */
export function createAuthRouter(deps: AuthRoutesDeps): Router {
  return apiRouter(authRoutes(deps), { logger: deps.logger });
}
