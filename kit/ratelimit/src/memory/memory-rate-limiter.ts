import type { RateLimitDecision, RateLimiter, RateLimitRule } from '@sd/domain/rate-limit';
import { gcra } from '../gcra';

export interface MemoryRateLimiterOptions {
  /** Clock in epoch milliseconds; tests pass their own. */
  now?: () => number;
  /** Buckets kept before full ones are swept out. Default 100 000. */
  maxBuckets?: number;
}

/** The embedded default: buckets in this process only. */
export class MemoryRateLimiter implements RateLimiter {
  /** Per key, the theoretical arrival time (GCRA): the bucket is full again at that time. */
  private readonly buckets = new Map<string, number>();
  private readonly now: () => number;
  private readonly maxBuckets: number;

  constructor(options: MemoryRateLimiterOptions = {}) {
    this.now = options.now ?? Date.now;
    this.maxBuckets = options.maxBuckets ?? 100_000;
  }

  async consume(key: string, rule: RateLimitRule, cost = 1): Promise<RateLimitDecision> {
    const now = this.now();
    const bucket = this.buckets.get(key);
    const step = gcra(rule, cost, now, bucket ?? now);
    if (step.nextTat !== undefined) {
      if (bucket === undefined && this.buckets.size >= this.maxBuckets) this.sweep(now);
      this.buckets.set(key, step.nextTat);
    }
    return step.decision;
  }

  async reset(key: string): Promise<void> {
    this.buckets.delete(key);
  }

  async close(): Promise<void> {
    this.buckets.clear();
  }

  private sweep(now: number): void {
    for (const [key, tat] of this.buckets) if (tat <= now) this.buckets.delete(key);
    // Still full of active buckets: forget the oldest rather than grow without bound.
    while (this.buckets.size >= this.maxBuckets) this.buckets.delete(this.buckets.keys().next().value as string);
  }
}
