/**
 * The exchange's time, in milliseconds since the epoch: what the sequencer stamps commands
 * with (so candles, 24 h statistics and order times follow it) and what 24 h windows are
 * read against. Real time by default; during a market replay, the tape's time.
 */
export interface Clock {
  now(): number;
}

export const Clock = Symbol.for('sd.exchange.Clock');
