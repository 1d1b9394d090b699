import type { Permission } from '@sd/domain/auth/api-key';
import { authErrors } from '@sd/domain/auth/errors';
import type { Principal } from '@sd/domain/auth/principal';

/** A session may do everything its user may; an API key only what it was created with. */
export const SESSION_PERMISSIONS: readonly Permission[] = ['view', 'trade'];

/** Refuses a principal that lacks `permission` (HTTP 403). */
export function assertPermission(principal: Principal, permission: Permission): void {
  if (!principal.permissions.includes(permission)) throw authErrors.permissionDenied(permission);
}
