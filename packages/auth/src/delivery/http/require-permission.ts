import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Permission } from '@sd/domain/auth/api-key';
import { principalOf } from '@sd/http/authenticate';
import { assertPermission } from '../../usecase/permissions';

/** Refuses (403) a principal without `permission`, e.g. a `view` API key on a trading route; mount after `authenticate`. */
export function requirePermission(permission: Permission): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction): void => {
    assertPermission(principalOf(res), permission);
    next();
  };
}
