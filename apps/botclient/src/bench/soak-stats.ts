import { LatencyHistogram } from '../load/histogram';
import type { Outcome } from '../load/outcomes';

export interface WindowRow {
  /** Seconds from the start of the load to the end of this window. */
  endS: number;
  orders_per_s: number;
  p50_ms: number;
  p99_ms: number;
  errors: number;
  rss_mb: number;
  /** The exchange's V8 heap in use, when its probe answered. */
  heap_mb?: number;
}

export interface SoakSummary {
  windows: number;
  orders_per_s: number;
  rss_mb_first: number;
  rss_mb_last: number;
  rss_growth_pct: number;
  heap_mb_first?: number;
  heap_mb_last?: number;
  p99_ms_first: number;
  p99_ms_last: number;
  errors: number;
}

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

/** The answers of one window: processed orders (2xx or expected rejection), errors, latency. */
export class WindowCounter {
  private latency = new LatencyHistogram();
  private processed = 0;
  private errors = 0;

  record(latencyMs: number, outcome: Outcome['kind']): void {
    this.latency.recordMs(latencyMs);
    if (outcome === 'error') this.errors += 1;
    else this.processed += 1;
  }

  /** The window's figures over `seconds`, then a fresh window. */
  close(seconds: number): { orders_per_s: number; p50_ms: number; p99_ms: number; errors: number } {
    const figures = {
      orders_per_s: Math.round(this.processed / seconds),
      p50_ms: round(this.latency.percentileMs(50), 3),
      p99_ms: round(this.latency.percentileMs(99), 3),
      errors: this.errors,
    };
    this.latency = new LatencyHistogram();
    this.processed = 0;
    this.errors = 0;
    return figures;
  }
}

/** First against last window; `errors` is the whole run's (the load test's tally). */
export function summarizeSoak(rows: readonly WindowRow[], errors: number): SoakSummary {
  const first = rows[0];
  const last = rows.at(-1);
  if (!first || !last) throw new Error('a soak summary needs at least one window');
  const heap = first.heap_mb !== undefined && last.heap_mb !== undefined ? { heap_mb_first: first.heap_mb, heap_mb_last: last.heap_mb } : {};
  return {
    windows: rows.length,
    orders_per_s: Math.round(rows.reduce((sum, row) => sum + row.orders_per_s, 0) / rows.length),
    rss_mb_first: first.rss_mb,
    rss_mb_last: last.rss_mb,
    rss_growth_pct: round(((last.rss_mb - first.rss_mb) / first.rss_mb) * 100, 1),
    ...heap,
    p99_ms_first: first.p99_ms,
    p99_ms_last: last.p99_ms,
    errors,
  };
}

/** One line per window under a header, columns right-aligned. */
export function formatWindows(rows: readonly WindowRow[]): string {
  const header = ['t (s)', 'orders/s', 'p50 ms', 'p99 ms', 'errors', 'RSS MB', 'heap MB'];
  const cells = rows.map((row) => [
    String(row.endS),
    String(row.orders_per_s),
    row.p50_ms.toFixed(2),
    row.p99_ms.toFixed(2),
    String(row.errors),
    row.rss_mb.toFixed(1),
    row.heap_mb === undefined ? '-' : row.heap_mb.toFixed(1),
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...cells.map((row) => row[i]!.length)));
  return [header, ...cells].map((row) => row.map((cell, i) => cell.padStart(widths[i]!)).join('  ')).join('\n');
}

/** VmRSS from a /proc/<pid>/status text, in MB (the kernel reports kB). */
export function rssMbFromStatus(status: string): number {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match) throw new Error('no VmRSS line in the process status');
  return round(Number(match[1]) / 1024, 1);
}
