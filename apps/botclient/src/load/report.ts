import type { LoadResult } from './load-test';

const PERCENTILES = [50, 90, 99, 99.9] as const;

export interface Summary {
  orders_per_s: number;
  p50_ms: number;
  p90_ms: number;
  p99_ms: number;
  p99_9_ms: number;
  max_ms: number;
  /** Requests answered with 2xx, and with an expected business rejection. */
  orders: number;
  rejected: number;
  errors: number;
  errors_by_status: Record<string, number>;
  mode: string;
  transport: string;
  connections: number;
  elapsed_s: number;
  client_cpu_pct: number;
}

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

/**
 * `orders_per_s` counts the requests the exchange processed (2xx or an expected business
 * rejection) per second of the run; errors are not in it. Percentiles cover every answer.
 */
export function summarize(result: LoadResult): Summary {
  const { latency, errors, rejected } = result;
  const processed = result.ok + rejected.total;
  const mode = result.config.mode;
  return {
    orders_per_s: Math.round(processed / result.elapsedS),
    p50_ms: round(latency.percentileMs(50), 3),
    p90_ms: round(latency.percentileMs(90), 3),
    p99_ms: round(latency.percentileMs(99), 3),
    p99_9_ms: round(latency.percentileMs(99.9), 3),
    max_ms: round(latency.maxMs, 3),
    orders: result.ok,
    rejected: rejected.total,
    errors: errors.total,
    errors_by_status: Object.fromEntries(errors.entries()),
    mode: mode.kind === 'open' ? `open ${mode.rate}/s` : `closed ${mode.concurrency} in flight`,
    transport: result.config.pipelining > 1 ? `${result.config.transport} x${result.config.pipelining}` : result.config.transport,
    connections: result.config.connections,
    elapsed_s: round(result.elapsedS, 2),
    client_cpu_pct: round(result.cpu.percentOfOneCore, 1),
  };
}

/** The human table; `summaryLine` is printed after it as the machine-readable last line. */
export function formatTable(result: LoadResult): string {
  const s = summarize(result);
  const rows: [string, string][] = [
    ['product', result.config.productId],
    ['load', `${s.mode}, ${result.config.users} users, ${s.connections} connections (${s.transport})`],
    ['elapsed', `${s.elapsed_s} s`],
    ['requests', `${fmt(result.places + result.cancels)} (${fmt(result.places)} orders placed, ${fmt(result.cancels)} cancels)`],
    ['ok (2xx)', fmt(result.ok)],
    ['rejected (expected)', fmt(s.rejected)],
    ...result.rejected.entries().map(([code, n]): [string, string] => [`  ${code}`, fmt(n)]),
    ['errors', fmt(s.errors)],
    ...result.errors.entries().map(([label, n]): [string, string] => [`  ${label}`, fmt(n)]),
    ['orders/s', fmt(s.orders_per_s)],
    ...PERCENTILES.map((q): [string, string] => [`p${q} ms`, result.latency.percentileMs(q).toFixed(3)]),
    ['max ms', s.max_ms.toFixed(3)],
    ['max in flight', fmt(result.maxInFlight)],
    ['client CPU', `${s.client_cpu_pct}% of one core, ${result.cpu.microsPerRequest.toFixed(1)} µs per request`],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  return rows.map(([name, value]) => `${name.padEnd(width)}  ${value}`).join('\n');
}

export const summaryLine = (result: LoadResult): string => JSON.stringify(summarize(result));

const fmt = (n: number): string => n.toLocaleString('en-US');
