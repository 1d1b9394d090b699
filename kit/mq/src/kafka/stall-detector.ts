/** One partition as the broker reports it: its log's ends and the group's committed offset (-1: none). */
export interface PartitionProgress {
  partition: number;
  low: string;
  high: string;
  committed: string;
}

/**
 * Decides when a consumer group is stuck: messages wait in a partition, and for `stallMs`
 * neither did the group's committed offsets move nor did the subscription's handler start a
 * call. Time the broker could not be asked does not count (an outage is kafkajs's to ride
 * out), nor does a group with no commit that started from the latest offset (what it has
 * not read is unknown).
 */
export class StallDetector {
  private readonly committed = new Map<number, string>();
  private quietSince: number;

  constructor(
    private readonly stallMs: number,
    private readonly startFrom: 'earliest' | 'latest',
    now: number,
  ) {
    this.quietSince = now;
  }

  /** The handler started a call. */
  alive(now: number): void {
    this.quietSince = now;
  }

  /** The broker did not answer: the clock starts again once it does. */
  unreachable(now: number): void {
    this.quietSince = now;
  }

  /** A fresh consumer (group) took over: nothing it did so far counts against it. */
  restart(now: number): void {
    this.committed.clear();
    this.quietSince = now;
  }

  /** True when the group is stuck, given what the broker reports now. */
  observe(partitions: readonly PartitionProgress[], now: number): boolean {
    let waiting = false;
    for (const { partition, low, high, committed } of partitions) {
      if (this.committed.has(partition) && this.committed.get(partition) !== committed) this.quietSince = now;
      this.committed.set(partition, committed);
      const from = BigInt(committed) >= 0n ? BigInt(committed) : this.startFrom === 'earliest' ? BigInt(low) : null;
      if (from !== null && BigInt(high) > from) waiting = true;
    }
    if (!waiting) this.quietSince = now;
    return now - this.quietSince >= this.stallMs;
  }
}
