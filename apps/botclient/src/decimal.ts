import Big from 'big.js';

/**
 * A product's price or size grid: every valid amount is a whole number of steps of its
 * increment. Bots and the load generator pick amounts as integer steps and format them
 * exactly here, so no binary float ever reaches a request.
 */
export class Grid {
  /** Digits after the point of the increment ("0.01" → 2). */
  readonly decimals: number;
  /** The increment in units of 10^-decimals ("0.05" → 5). */
  private readonly unit: number;

  constructor(readonly increment: string) {
    const step = new Big(increment);
    if (step.lte(0)) throw new Error(`increment must be positive, not ${increment}`);
    this.decimals = Math.max(0, step.c.length - step.e - 1);
    this.unit = Number(step.times(new Big(10).pow(this.decimals)).toFixed(0));
    if (!Number.isSafeInteger(this.unit)) throw new Error(`increment ${increment} is too fine`);
  }

  /** `steps × increment` as a decimal string with the increment's decimals. */
  format(steps: number): string {
    if (!Number.isSafeInteger(steps) || steps < 0) throw new Error(`steps must be a non-negative integer, not ${steps}`);
    const scaled = steps * this.unit;
    if (!Number.isSafeInteger(scaled)) throw new Error(`${steps} steps of ${this.increment} overflow`);
    if (this.decimals === 0) return String(scaled);
    const digits = String(scaled).padStart(this.decimals + 1, '0');
    return `${digits.slice(0, -this.decimals)}.${digits.slice(-this.decimals)}`;
  }

  /** The number of whole steps in `amount`, rounded down (a mid price snapped to the grid). */
  stepsIn(amount: string): number {
    const steps = Number(new Big(amount).div(this.increment).round(0, Big.roundDown).toFixed(0));
    if (!Number.isSafeInteger(steps)) throw new Error(`${amount} is too large for the grid ${this.increment}`);
    return steps;
  }

  /** The smallest number of steps that is at least `amount` (a minimum size on the grid). */
  stepsAtLeast(amount: string): number {
    return Number(new Big(amount).div(this.increment).round(0, Big.roundUp).toFixed(0));
  }
}
