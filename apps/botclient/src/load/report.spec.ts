import { LatencyHistogram } from './histogram';
import type { LoadResult } from './load-test';
import { Tally } from './outcomes';
import { formatTable, summarize, summaryLine } from './report';

function result(): LoadResult {
  const latency = new LatencyHistogram();
  for (let i = 1; i <= 1000; i++) latency.recordMs(i / 100); // 0.01 .. 10 ms
  const rejected = new Tally();
  for (let i = 0; i < 40; i++) rejected.add('EXCHANGE.ORDER_NOT_FOUND');
  const errors = new Tally();
  errors.add('429 RATE_LIMIT.EXCEEDED');
  errors.add('429 RATE_LIMIT.EXCEEDED');
  errors.add('network ECONNRESET');
  return {
    config: { mode: { kind: 'open', rate: 500 }, connections: 8, pipelining: 1, transport: 'undici', durationMs: 2000, users: 4, productId: 'BTC-USDT' },
    elapsedS: 2,
    places: 700,
    cancels: 300,
    ok: 957,
    rejected,
    errors,
    latency,
    cpu: { percentOfOneCore: 12.345, microsPerRequest: 24.7 },
    maxInFlight: 9,
  };
}

describe('load report', () => {
  it('counts processed requests (2xx and expected rejections) per second, errors apart', () => {
    const summary = summarize(result());
    // Percentiles are bucket upper edges: at most 0.8 % above the true 5 ms and 9.9 ms.
    expect(summary.p50_ms).toBeGreaterThanOrEqual(5);
    expect(summary.p50_ms).toBeLessThanOrEqual(5.04);
    expect(summary.p99_ms).toBeGreaterThanOrEqual(9.9);
    expect(summary.p99_ms).toBeLessThanOrEqual(9.98);
    expect(summary).toMatchObject({
      orders_per_s: 499, // (957 + 40) / 2 s
      orders: 957,
      rejected: 40,
      errors: 3,
      errors_by_status: { '429 RATE_LIMIT.EXCEEDED': 2, 'network ECONNRESET': 1 },
      max_ms: 10,
      mode: 'open 500/s',
      client_cpu_pct: 12.3,
    });
  });

  it('prints a table with every error kind, and one JSON object as the last line', () => {
    const table = formatTable(result());
    expect(table).toMatch(/^errors\s+3$/m);
    expect(table).toMatch(/^ {2}429 RATE_LIMIT\.EXCEEDED\s+2$/m);
    expect(table).toMatch(/^ {2}EXCHANGE\.ORDER_NOT_FOUND\s+40$/m);
    expect(table).toMatch(/^p99\.9 ms\s+10\.000$/m); // the max bounds the last bucket's edge
    const line = summaryLine(result());
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toEqual(summarize(result()));
    expect(JSON.parse(line)).toMatchObject({ orders_per_s: 499, errors: 3 });
  });
});
