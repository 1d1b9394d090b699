import { StallDetector, type PartitionProgress } from './stall-detector';

const at = (committed: string, high: string, low = '0'): PartitionProgress[] => [{ partition: 0, low, high, committed }];

describe('StallDetector', () => {
  it('finds a group stuck once messages wait and neither commits nor handler calls happen for the timeout', () => {
    const detector = new StallDetector(30_000, 'earliest', 0);
    expect(detector.observe(at('10', '50'), 10_000)).toBe(false);
    expect(detector.observe(at('10', '80'), 29_999)).toBe(false);
    expect(detector.observe(at('10', '90'), 30_000)).toBe(true);
  });

  it('is never stuck while nothing waits, however long it idles', () => {
    const detector = new StallDetector(30_000, 'earliest', 0);
    expect(detector.observe(at('50', '50'), 60_000)).toBe(false);
    // Messages arrive: the clock starts at the last check that saw none waiting, not at the last commit.
    expect(detector.observe(at('50', '51'), 61_000)).toBe(false);
    expect(detector.observe(at('50', '60'), 89_999)).toBe(false);
    expect(detector.observe(at('50', '60'), 90_000)).toBe(true);
  });

  it('counts a moving commit (this consumer or another member of the group) and a handler call as progress', () => {
    const detector = new StallDetector(30_000, 'earliest', 0);
    detector.observe(at('10', '50'), 20_000);
    expect(detector.observe(at('20', '60'), 40_000)).toBe(false);
    expect(detector.observe(at('20', '60'), 69_999)).toBe(false);
    detector.alive(65_000);
    expect(detector.observe(at('20', '60'), 94_999)).toBe(false);
    expect(detector.observe(at('20', '60'), 95_000)).toBe(true);
  });

  it('does not count the time the broker was unreachable, nor what came before a fresh consumer', () => {
    const detector = new StallDetector(30_000, 'earliest', 0);
    detector.observe(at('10', '50'), 10_000);
    detector.unreachable(25_000);
    expect(detector.observe(at('10', '50'), 54_999)).toBe(false);
    expect(detector.observe(at('10', '50'), 55_000)).toBe(true);
    detector.restart(56_000);
    // The fresh group's first commit is no movement against the old group's offsets.
    expect(detector.observe(at('12', '50'), 60_000)).toBe(false);
    expect(detector.observe(at('12', '50'), 86_000)).toBe(true);
  });

  it('without a commit, counts the whole log as waiting from the earliest offset, and nothing from the latest', () => {
    const earliest = new StallDetector(1_000, 'earliest', 0);
    expect(earliest.observe(at('-1', '5', '5'), 2_000)).toBe(false);
    expect(earliest.observe(at('-1', '9', '5'), 2_999)).toBe(false);
    expect(earliest.observe(at('-1', '9', '5'), 3_000)).toBe(true);
    const latest = new StallDetector(1_000, 'latest', 0);
    expect(latest.observe(at('-1', '9', '5'), 5_000)).toBe(false);
  });
});
