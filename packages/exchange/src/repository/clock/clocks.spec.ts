import type { Clock } from '@sd/domain/exchange/clock';
import { SystemClock, TapeClock } from './clocks';

afterEach(() => jest.useRealTimers());

// The Clock contract: unless a replay sets it, a clock is real time, in epoch milliseconds.
describe.each([
  ['SystemClock', (): Clock => new SystemClock()],
  ['TapeClock', (): Clock => new TapeClock()],
])('%s', (_name, make) => {
  it('shows real time in epoch milliseconds', () => {
    jest.useFakeTimers({ now: 1_700_000_000_000 });
    const clock = make();
    expect(clock.now()).toBe(1_700_000_000_000);
    jest.advanceTimersByTime(1234);
    expect(clock.now()).toBe(1_700_000_001_234);
  });
});

describe('TapeClock', () => {
  it('stands at the time the replay set, and runs on in real time from the last one', () => {
    jest.useFakeTimers({ now: 1_700_000_000_000 });
    const clock = new TapeClock();
    clock.set(1_600_000_000_000);
    jest.advanceTimersByTime(5000);
    expect(clock.now()).toBe(1_600_000_000_000);
    clock.set(1_600_000_000_250);
    clock.runOn();
    jest.advanceTimersByTime(1500);
    expect(clock.now()).toBe(1_600_000_001_750);
  });
});
