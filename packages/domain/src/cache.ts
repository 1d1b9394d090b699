/**
 * Key-value cache port with expiry. Backed by Redis, it is shared by every instance of an app
 * (which is what makes `setIfAbsent` usable for cross-instance once-only checks). Adapters in
 * kit/cache: memory (embedded default) and Redis, bound by `@sd/cache/cache.module`; both pass
 * the contract suite in kit/cache/src/testing/cache-contract.ts.
 */
export interface Cache {
  /** The value, or null when the key is absent or expired. */
  get(key: string): Promise<string | null>;
  /** Stores `value`, replacing any previous value and expiry. */
  set(key: string, value: string, options?: CacheSetOptions): Promise<void>;
  /**
   * Stores `value` only when the key is absent (or expired); true when this call stored it.
   * Atomic: of concurrent calls on one key, across instances sharing the store, one wins.
   */
  setIfAbsent(key: string, value: string, options?: CacheSetOptions): Promise<boolean>;
  /** Removes the key; true when it was there. */
  delete(key: string): Promise<boolean>;
  close(): Promise<void>;
}

export interface CacheSetOptions {
  /** Time to live in milliseconds, a positive integer. Without it the entry has no expiry. */
  ttlMs?: number;
}

export const Cache = Symbol.for('sd.Cache');
