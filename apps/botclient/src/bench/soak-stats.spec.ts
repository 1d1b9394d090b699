import { formatWindows, rssMbFromStatus, summarizeSoak, WindowCounter, type WindowRow } from './soak-stats';

describe('WindowCounter', () => {
  it('reports one window and starts the next empty', () => {
    const counter = new WindowCounter();
    for (let i = 1; i <= 100; i++) counter.record(i / 10, 'ok'); // 0.1 .. 10 ms
    counter.record(50, 'rejected');
    counter.record(80, 'error');
    const first = counter.close(2);
    expect(first.orders_per_s).toBe(51); // 101 processed (errors excluded) over 2 s
    expect(first.errors).toBe(1);
    expect(first.p50_ms).toBeGreaterThanOrEqual(5.1);
    expect(first.p50_ms).toBeLessThan(5.2);
    // rank ⌈0.99 × 102⌉ = 101: the 50 ms rejection; errors count in latency too.
    expect(first.p99_ms).toBeGreaterThanOrEqual(50);
    expect(first.p99_ms).toBeLessThan(50.5);

    counter.record(1, 'ok');
    expect(counter.close(1)).toEqual({ orders_per_s: 1, p50_ms: 1, p99_ms: 1, errors: 0 });
  });
});

describe('summarizeSoak', () => {
  const row = (endS: number, rss_mb: number, p99_ms: number, heap_mb?: number): WindowRow => ({
    endS,
    orders_per_s: 300 + endS,
    p50_ms: 1,
    p99_ms,
    errors: 0,
    rss_mb,
    ...(heap_mb === undefined ? {} : { heap_mb }),
  });

  it('compares the first window with the last', () => {
    expect(summarizeSoak([row(10, 200, 4, 50), row(20, 210, 5, 52), row(30, 220, 6, 55)], 3)).toEqual({
      windows: 3,
      orders_per_s: 320,
      rss_mb_first: 200,
      rss_mb_last: 220,
      rss_growth_pct: 10,
      heap_mb_first: 50,
      heap_mb_last: 55,
      p99_ms_first: 4,
      p99_ms_last: 6,
      errors: 3,
    });
  });

  it('leaves the heap out when the probe did not answer, and refuses no windows', () => {
    expect(summarizeSoak([row(10, 100, 2), row(20, 99, 2, 40)], 0)).not.toHaveProperty('heap_mb_first');
    expect(() => summarizeSoak([], 0)).toThrow('at least one window');
  });

  it('prints one aligned row per window', () => {
    const lines = formatWindows([row(10, 200, 4, 50), row(20, 210.25, 12.5)]).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^t \(s\)\s+orders\/s\s+p50 ms\s+p99 ms\s+errors\s+RSS MB\s+heap MB$/);
    expect(lines[2]).toMatch(/^\s*20\s+320\s+1\.00\s+12\.50\s+0\s+210\.3\s+-$/);
    expect(new Set(lines.map((line) => line.length)).size).toBe(1);
  });
});

describe('rssMbFromStatus', () => {
  it('reads VmRSS in MB', () => {
    expect(rssMbFromStatus('Name:\tnode\nVmPeak:\t 999999 kB\nVmRSS:\t  204800 kB\nThreads:\t11\n')).toBe(200);
    expect(() => rssMbFromStatus('Name:\tnode\n')).toThrow('VmRSS');
  });
});
