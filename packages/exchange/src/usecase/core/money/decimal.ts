import Big from 'big.js';
import { MAX_SAFE } from './scaled-math';

/*
 * The one place where decimal strings meet integers: parsing what clients send into whole
 * steps (increments, minor units), and formatting minor units for whoever shows them.
 */

/**
 * Formats a non-negative count of minor units as a decimal string with exactly `scale`
 * decimals (`formatUnits(1500, 3)` is `1.500`). String work only: no float, no big.js, so
 * it is cheap enough for every event shown.
 */
export function formatUnits(units: number, scale: number): string {
  const digits = String(units);
  if (scale === 0) return digits;
  if (digits.length > scale) {
    const point = digits.length - scale;
    return `${digits.slice(0, point)}.${digits.slice(point)}`;
  }
  return `0.${ZEROS.slice(0, scale - digits.length)}${digits}`;
}

const ZEROS = '000000000000000000000000000000';

/**
 * Exact arithmetic on the non-negative, fixed-scale decimal strings the read side stores.
 * Sums such as a day's volume may pass 2^53 minor units, so they go through bigint.
 */
export function toUnits(decimal: string, scale: number): bigint {
  const [whole = '0', fraction = ''] = decimal.split('.');
  if (fraction.length > scale) throw new Error(`${decimal} has more than ${scale} decimals`);
  return BigInt(whole + fraction.padEnd(scale, '0'));
}

export function fromUnits(units: bigint, scale: number): string {
  const digits = units.toString().padStart(scale + 1, '0');
  return scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

export function addDecimal(a: string, b: string, scale: number): string {
  return fromUnits(toUnits(a, scale) + toUnits(b, scale), scale);
}

const DECIMAL = /^\d+(\.\d+)?$/;
const ALL_ZEROS = /^0*$/;
const LEADING_ZEROS = /^0+/;

/** How many `step`s a positive decimal string is, exactly (big.js, never a float). */
export function parseSteps(text: unknown, step: Big): number | 'malformed' | 'off_step' | 'too_large' {
  if (typeof text !== 'string' || text.length > 40 || !DECIMAL.test(text)) return 'malformed';
  const scale = decimalPlaces(step);
  if (scale !== null) {
    // The usual increment, 10^-scale: shifting the decimal point is exact and skips big.js.
    const dot = text.indexOf('.');
    const fraction = dot < 0 ? '' : text.slice(dot + 1);
    if (fraction.length > scale && !ALL_ZEROS.test(fraction.slice(scale))) return 'off_step';
    const digits = ((dot < 0 ? text : text.slice(0, dot)) + fraction.slice(0, scale).padEnd(scale, '0')).replace(LEADING_ZEROS, '');
    if (digits === '') return 'malformed';
    if (digits.length < 16) return Number(digits);
  }
  const value = new Big(text);
  if (value.lte(0)) return 'malformed';
  if (!value.mod(step).eq(0)) return 'off_step';
  const steps = value.div(step);
  return steps.gt(MAX_SAFE) ? 'too_large' : steps.toNumber();
}

/** `k` when `step` is 10^-k (0.01 → 2, 1 → 0); null for any other increment. */
function decimalPlaces(step: Big): number | null {
  return step.c.length === 1 && step.c[0] === 1 && step.e <= 0 ? -step.e : null;
}
