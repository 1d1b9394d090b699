import type { Permission } from './api-key';

/** Who a request acts for, as authentication middleware leaves it for handlers. */
export type Principal =
  | { method: 'session'; userId: string; sessionId: string; permissions: readonly Permission[] }
  | { method: 'api_key'; userId: string; apiKeyId: string; permissions: readonly Permission[] };

export type AuthMethod = Principal['method'];
