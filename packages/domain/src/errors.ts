/**
 * What kind of failure an error is, independent of transport. Delivery adapters map a
 * kind to a status (HTTP, WebSocket error frame) in one table; the domain never knows HTTP.
 */
export type ErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  /** Well-formed, but the state refuses it (funds, the book, a used id): the same request is refused again until the state changes. */
  | 'refused'
  | 'gone'
  | 'rate_limited'
  | 'unavailable';

/**
 * Base of every error a use case may throw on purpose. `code` is stable and namespaced
 * (`EXCHANGE.INSUFFICIENT_FUNDS`); `message` is for humans and safe to show to a client.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly kind: ErrorKind,
    message: string,
    options?: { cause?: unknown; details?: Record<string, unknown> },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DomainError';
    this.details = options?.details;
  }

  /** Extra facts for the client (for example `retryAfterSeconds`); never secrets. */
  readonly details: Record<string, unknown> | undefined;
}

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;

/** Input failed validation before reaching any state: the caller must change the request. */
export const invalidInput = (message: string, details?: Record<string, unknown>): DomainError =>
  new DomainError('VALIDATION.INVALID_INPUT', 'invalid', message, details ? { details } : undefined);
