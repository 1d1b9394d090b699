import { bucketOf, LatencyHistogram, upperEdge } from './histogram';

describe('LatencyHistogram', () => {
  it('answers nearest-rank percentiles, exact below 256 µs', () => {
    const histogram = new LatencyHistogram();
    for (let us = 1; us <= 200; us++) histogram.recordMs(us / 1000);
    expect(histogram.count).toBe(200);
    expect(histogram.percentileMs(50)).toBe(0.1); // rank 100 of 200
    expect(histogram.percentileMs(99)).toBe(0.198); // rank 198
    expect(histogram.percentileMs(99.9)).toBe(0.2); // rank ceil(199.8) = 200
    expect(histogram.percentileMs(100)).toBe(0.2);
    expect(histogram.maxMs).toBe(0.2);
  });

  it('never reports below the true value and at most 0.8 % above it', () => {
    const histogram = new LatencyHistogram();
    const samples = [0.3, 1.234, 2.5, 9.99, 10.01, 150.7, 2400];
    for (const ms of samples) {
      const single = new LatencyHistogram();
      single.recordMs(ms);
      const reported = single.percentileMs(50);
      expect(reported).toBeGreaterThanOrEqual(ms);
      expect(reported).toBeLessThanOrEqual(ms * 1.008);
      histogram.recordMs(ms);
    }
    expect(histogram.maxMs).toBe(2400);
    expect(histogram.percentileMs(100)).toBe(2400);
  });

  it('puts every microsecond in a bucket whose upper edge bounds it, with no gaps', () => {
    for (let us = 0; us < 1 << 20; us += 1 + (us >> 6)) {
      const index = bucketOf(us);
      expect(upperEdge(index)).toBeGreaterThanOrEqual(us);
      if (index > 0) expect(upperEdge(index - 1)).toBeLessThan(us);
    }
  });

  it('merges per-run histograms into the same percentiles as one histogram', () => {
    const [a, b, all] = [new LatencyHistogram(), new LatencyHistogram(), new LatencyHistogram()];
    for (let i = 0; i < 1000; i++) {
      const ms = (i * 7919) % 5000 / 100;
      (i % 2 ? a : b).recordMs(ms);
      all.recordMs(ms);
    }
    a.merge(b);
    expect(a.count).toBe(1000);
    for (const q of [50, 90, 99, 99.9]) expect(a.percentileMs(q)).toBe(all.percentileMs(q));
    expect(a.maxMs).toBe(all.maxMs);
  });

  it('reads 0 when empty and refuses a percentile outside (0, 100]', () => {
    const histogram = new LatencyHistogram();
    expect(histogram.percentileMs(99)).toBe(0);
    expect(() => histogram.percentileMs(0)).toThrow();
    expect(() => histogram.percentileMs(101)).toThrow();
  });
});
