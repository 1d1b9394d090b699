import { Router, type Request, type Response } from 'express';
import type { Authenticator, SignedRequest } from '@sd/domain/auth/authenticator';
import type { Principal } from '@sd/domain/auth/principal';
import { invalidInput, isDomainError } from '@sd/domain/errors';
import { AUTH_SERVICE_PATHS, principalFromJson, principalJson, type ValidityJson, type VerificationJson } from '../../wire/auth-service';
import { objectBody } from '../../usecase/validation';

/**
 * Token and signature verification for the other services (see `wire/auth-service`), mounted
 * by the user app at its root. Not rate limited per IP: every request of a calling service
 * comes from its few addresses, and each one verifies a credential the caller already holds.
 */
export function createAuthServiceRouter(authenticator: Authenticator): Router {
  const router = Router();
  router.post(AUTH_SERVICE_PATHS.token, async (req: Request, res: Response) => {
    const token = stringField(objectBody(req.body), 'access_token');
    res.json(await verification(() => authenticator.authenticateToken(token)));
  });
  router.post(AUTH_SERVICE_PATHS.signature, async (req: Request, res: Response) => {
    const body = objectBody(req.body);
    const request: SignedRequest = {
      key: stringField(body, 'key'),
      signature: stringField(body, 'signature'),
      timestamp: stringField(body, 'timestamp'),
      passphrase: stringField(body, 'passphrase'),
      method: stringField(body, 'method'),
      requestPath: stringField(body, 'request_path'),
      body: stringField(body, 'body'),
    };
    res.json(await verification(() => authenticator.authenticateSignature(request)));
  });
  router.post(AUTH_SERVICE_PATHS.principal, async (req: Request, res: Response) => {
    const principal = principalFromJson(req.body);
    if (!principal) throw invalidInput('body must be a principal');
    res.json({ valid: await authenticator.isStillValid(principal) } satisfies ValidityJson);
  });
  return router;
}

/** The principal, or the refusal as data; a failure of this service itself (kind `unavailable`) stays an error status. */
async function verification(verify: () => Promise<Principal>): Promise<VerificationJson> {
  try {
    return { principal: principalJson(await verify()) };
  } catch (error) {
    if (!isDomainError(error) || error.kind === 'unavailable') throw error;
    return { error: { code: error.code, kind: error.kind, message: error.message } };
  }
}

function stringField(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string') throw invalidInput(`${field} must be a string`, { field });
  return value;
}
