import Big from 'big.js';

/** Number of decimals an increment allows: "0.01" -> 2, "1" -> 0, "0.00000001" -> 8. */
export function decimalsOf(increment: string): number {
  const plain = new Big(increment).toFixed();
  const dot = plain.indexOf('.');
  return dot < 0 ? 0 : plain.length - dot - 1;
}

/** A decimal string shown with exactly the decimals of `increment` (prices in the book, trades). */
export function fixed(value: string, increment: string): string {
  return new Big(value).toFixed(decimalsOf(increment), Big.roundDown);
}

/** The exact value without trailing zeros: "1000.5000" -> "1000.5" (balances, fills). */
export function plain(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  return new Big(value).toFixed();
}

/** Percentage change from `open` to `last`, signed, two decimals; empty when there is no open. */
export function changePercent(open: string | undefined, last: string | undefined): string {
  if (!open || !last || new Big(open).eq(0)) return '';
  const pct = new Big(last).minus(open).div(open).times(100);
  return `${pct.gte(0) ? '+' : ''}${pct.toFixed(2)}%`;
}

/** Local wall-clock time of an ISO-8601 instant, HH:MM:SS. */
export function clock(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}
