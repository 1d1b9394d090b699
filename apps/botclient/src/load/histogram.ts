/** Below this many microseconds every value has its own bucket. */
const LINEAR = 256;
/** Buckets per power of two above it: a relative width of 1/128 (< 0.8 %). */
const SUB = 128;
const SUB_BITS = 7;
/** Values up to 2^31 µs (35 min) are bucketed; larger ones land in the last bucket. */
const BUCKETS = LINEAR + (31 - SUB_BITS - 1) * SUB;

/**
 * Latency histogram in the HdrHistogram style: fixed log-linear buckets of microseconds,
 * exact below 256 µs and within 0.8 % above, so recording is O(1) with no allocation and a
 * percentile can be read at any time (the progress bar reads p99 four times a second).
 *
 * Percentile definition: nearest rank. p(q) is the smallest recorded value v such that at
 * least ceil(q/100 × n) samples are ≤ v, reported as the upper edge of v's bucket (never
 * below the true value, at most 0.8 % above it). `max` is exact.
 */
export class LatencyHistogram {
  private readonly counts = new Float64Array(BUCKETS);
  private total = 0;
  private maxUs = 0;

  get count(): number {
    return this.total;
  }

  get maxMs(): number {
    return this.maxUs / 1000;
  }

  recordMs(ms: number): void {
    const us = Math.max(0, Math.round(ms * 1000));
    this.counts[bucketOf(us)]! += 1;
    this.total += 1;
    if (us > this.maxUs) this.maxUs = us;
  }

  /** Nearest-rank percentile in milliseconds; 0 when empty. */
  percentileMs(q: number): number {
    if (!(q > 0 && q <= 100)) throw new Error(`percentile must be in (0, 100], not ${q}`);
    if (this.total === 0) return 0;
    const rank = Math.ceil((q / 100) * this.total);
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(upperEdge(i), this.maxUs) / 1000;
    }
    return this.maxUs / 1000;
  }

  /** Adds another histogram's samples (per-worker histograms merged for the report). */
  merge(other: LatencyHistogram): void {
    for (let i = 0; i < BUCKETS; i++) this.counts[i]! += other.counts[i]!;
    this.total += other.total;
    this.maxUs = Math.max(this.maxUs, other.maxUs);
  }
}

export function bucketOf(us: number): number {
  if (us < LINEAR) return us;
  const exponent = 31 - Math.clz32(us); // floor(log2 us), at least 8
  if (exponent >= 31) return BUCKETS - 1;
  const shift = exponent - SUB_BITS;
  return LINEAR + (shift - 1) * SUB + ((us >>> shift) - SUB);
}

/** The largest microsecond value that falls in bucket `index`. */
export function upperEdge(index: number): number {
  if (index < LINEAR) return index;
  const shift = Math.floor((index - LINEAR) / SUB) + 1;
  const mantissa = ((index - LINEAR) % SUB) + SUB;
  return (mantissa + 1) * 2 ** shift - 1;
}
