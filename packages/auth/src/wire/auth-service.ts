import { PERMISSIONS, type Permission } from '@sd/domain/auth/api-key';
import type { SignedRequest } from '@sd/domain/auth/authenticator';
import type { Principal } from '@sd/domain/auth/principal';
import type { ErrorKind } from '@sd/domain/errors';

/**
 * The user service's verification API, as its router serves it and the remote authenticator
 * calls it: JSON over HTTP, one POST per `Authenticator` method. A refused credential is a
 * 200 with `error` (the caller rethrows it as the same domain error); any other status means
 * the service could not answer.
 */
export const AUTH_SERVICE_PATHS = {
  token: '/internal/auth/token',
  signature: '/internal/auth/signature',
  principal: '/internal/auth/principal',
} as const;

export type PrincipalJson =
  | { method: 'session'; user_id: string; session_id: string; permissions: Permission[] }
  | { method: 'api_key'; user_id: string; api_key_id: string; permissions: Permission[] };

export interface TokenRequestJson {
  access_token: string;
}

export interface SignatureRequestJson {
  key: string;
  signature: string;
  timestamp: string;
  passphrase: string;
  method: string;
  request_path: string;
  body: string;
}

export interface RefusalJson {
  code: string;
  kind: ErrorKind;
  message: string;
}

/** The answer to `token` and `signature`. */
export type VerificationJson = { principal: PrincipalJson } | { error: RefusalJson };

/** The answer to `principal`. */
export interface ValidityJson {
  valid: boolean;
}

export function principalJson(principal: Principal): PrincipalJson {
  const permissions = [...principal.permissions];
  return principal.method === 'session'
    ? { method: 'session', user_id: principal.userId, session_id: principal.sessionId, permissions }
    : { method: 'api_key', user_id: principal.userId, api_key_id: principal.apiKeyId, permissions };
}

/** The principal in `json`, or undefined when it is not one. */
export function principalFromJson(json: unknown): Principal | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const value = json as Record<string, unknown>;
  const permissions = value.permissions;
  if (typeof value.user_id !== 'string' || !Array.isArray(permissions) || !permissions.every((p) => PERMISSIONS.includes(p as Permission))) return undefined;
  if (value.method === 'session' && typeof value.session_id === 'string') {
    return { method: 'session', userId: value.user_id, sessionId: value.session_id, permissions: permissions as Permission[] };
  }
  if (value.method === 'api_key' && typeof value.api_key_id === 'string') {
    return { method: 'api_key', userId: value.user_id, apiKeyId: value.api_key_id, permissions: permissions as Permission[] };
  }
  return undefined;
}

export function signatureRequestJson(request: SignedRequest): SignatureRequestJson {
  const { key, signature, timestamp, passphrase, method, requestPath, body } = request;
  return { key, signature, timestamp, passphrase, method, request_path: requestPath, body };
}
