/**
 * The exchange's time, in milliseconds since the epoch: what the sequencer stamps commands
 * with (so candles, 24 h statistics and order times follow it) and what 24 h windows are
 * read against. Real time by default; during a market replay, the tape's time.
 */
export interface Clock {
  now(): number;
}

export const Clock = Symbol.for('sd.exchange.Clock');

/**
 * The clock of a market replay: the replay sets it to each tape trade's time (it stands still
 * in between); once the tape is done it runs on in real time from the last time it was set.
 */
export interface ReplayClock extends Clock {
  set(time: number): void;
  runOn(): void;
}
