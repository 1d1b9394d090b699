/**
 * One dependency a process needs in order to serve (a database, a broker, a journal), as
 * readiness asks it. Adapters provide their checks; kit/http's health routes run them.
 */
export interface HealthCheck {
  /** Names the failing part in a readiness answer: `postgresql:auth`, `kafka`, `redis:cache`... */
  readonly name: string;
  /** Resolves when the dependency answers; rejects with the reason when it does not. */
  check(): Promise<void>;
}

/** Every `HealthCheck` of a container (a multi-binding): the kit modules of network adapters add theirs. */
export const HealthCheck = Symbol.for('sd.HealthCheck');
