import type { Cache, CacheSetOptions } from '@sd/domain/cache';

interface Entry {
  value: string;
  /** Epoch ms; Infinity when the entry has no expiry. */
  expiresAt: number;
}

export interface MemoryCacheOptions {
  /**
   * Upper bound of live entries. When full, expired entries are swept first; if none has
   * expired, the oldest entry is dropped. Default 100 000.
   */
  maxEntries?: number;
  /** Clock in epoch milliseconds; tests pass their own. */
  now?: () => number;
}

/** The embedded default: one process, no server. `setIfAbsent` is atomic within the process. */
export class MemoryCache implements Cache {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: MemoryCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 100_000;
    this.now = options.now ?? Date.now;
  }

  async get(key: string): Promise<string | null> {
    return this.live(key)?.value ?? null;
  }

  async set(key: string, value: string, options?: CacheSetOptions): Promise<void> {
    this.store(key, value, options);
  }

  async setIfAbsent(key: string, value: string, options?: CacheSetOptions): Promise<boolean> {
    if (this.live(key)) return false;
    this.store(key, value, options);
    return true;
  }

  async delete(key: string): Promise<boolean> {
    const existed = this.live(key) !== undefined;
    this.entries.delete(key);
    return existed;
  }

  async close(): Promise<void> {
    this.entries.clear();
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private store(key: string, value: string, options: CacheSetOptions | undefined): void {
    const ttlMs = checkedTtl(options?.ttlMs);
    this.entries.delete(key); // re-insert: Map order is then the order of last write
    if (this.entries.size >= this.maxEntries) this.makeRoom();
    this.entries.set(key, { value, expiresAt: ttlMs === undefined ? Infinity : this.now() + ttlMs });
  }

  private makeRoom(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }
}

/** A TTL must be a positive integer of milliseconds; anything else is a programming error. */
export function checkedTtl(ttlMs: number | undefined): number | undefined {
  if (ttlMs === undefined) return undefined;
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) throw new RangeError(`cache ttlMs must be a positive integer, not ${ttlMs}`);
  return ttlMs;
}
