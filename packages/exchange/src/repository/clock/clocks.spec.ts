import { SystemClock, TapeClock } from './clocks';

describe('clocks', () => {
  afterEach(() => jest.useRealTimers());

  it('the system clock shows real time', () => {
    jest.useFakeTimers({ now: 1_700_000_000_000 });
    expect(new SystemClock().now()).toBe(1_700_000_000_000);
  });

  it('the tape clock shows real time until set, stands at the time set, and runs on in real time from the last one', () => {
    jest.useFakeTimers({ now: 1_700_000_000_000 });
    const clock = new TapeClock();
    expect(clock.now()).toBe(1_700_000_000_000);
    clock.set(1_600_000_000_000);
    jest.advanceTimersByTime(5000);
    expect(clock.now()).toBe(1_600_000_000_000);
    clock.set(1_600_000_000_250);
    clock.runOn();
    jest.advanceTimersByTime(1500);
    expect(clock.now()).toBe(1_600_000_001_750);
  });
});
