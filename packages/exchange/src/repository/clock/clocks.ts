import type { Clock, ReplayClock } from '@sd/domain/exchange/clock';

/** Real time. */
export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }
}

/** Shows the time the replay set (real time before it sets one); after `runOn`, real time offset to continue from there. */
export class TapeClock implements ReplayClock {
  private time: number | null = null;
  /** Real time minus shown time, once the clock runs on. */
  private offset: number | null = null;

  now(): number {
    if (this.offset !== null) return Date.now() - this.offset;
    return this.time ?? Date.now();
  }

  set(time: number): void {
    this.time = time;
    this.offset = null;
  }

  runOn(): void {
    this.offset = Date.now() - this.now();
  }
}
