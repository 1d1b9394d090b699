import { malformedTape, type TapeLocation } from './tape-errors';

/** How far a reader is in its file: the bytes of the rows it has handed on (not those read ahead). */
export interface ReadCounter {
  bytesRead: number;
}

/** The time of the last trade read: a tape only goes forward (equal times are fine). */
export class TimeOrder {
  private last = -Infinity;

  get previous(): number {
    return this.last;
  }

  accepts(time: number): boolean {
    if (time < this.last) return false;
    this.last = time;
    return true;
  }
}

const DECIMAL = /^\d+(\.\d+)?$/;
const ZERO = /^0+(\.0+)?$/;

/** A plain decimal string (no sign, no exponent), kept exactly as recorded. */
export function decimalField(text: string | undefined, name: string, where: TapeLocation, { positive }: { positive: boolean }): string {
  if (text === undefined || !DECIMAL.test(text)) throw malformedTape(where, `${name} is not a decimal number: ${JSON.stringify(text)}`);
  if (positive && ZERO.test(text)) throw malformedTape(where, `${name} must be above zero: ${text}`);
  return text;
}

/**
 * Binance's dumps stamp times in milliseconds, its spot dumps since 2025 in microseconds:
 * a stamp past 1e14 (the year 5138 in milliseconds, 1973 in microseconds) is in microseconds.
 */
const MICROSECONDS_FROM = 1e14;

export function epochMillisField(text: string | undefined, name: string, where: TapeLocation): number {
  const value = text === undefined || !/^\d+$/.test(text) ? NaN : Number(text);
  if (!Number.isSafeInteger(value)) throw malformedTape(where, `${name} is not a time in milliseconds or microseconds: ${JSON.stringify(text)}`);
  return value >= MICROSECONDS_FROM ? Math.floor(value / 1000) : value;
}

export function booleanField(text: string | undefined, name: string, where: TapeLocation): boolean {
  // Binance's dumps write Python's True/False.
  const lower = text?.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  throw malformedTape(where, `${name} is neither true nor false: ${JSON.stringify(text)}`);
}
