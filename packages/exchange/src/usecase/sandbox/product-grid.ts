import Big from 'big.js';
import type { CurrencySpec, ProductSpec } from '../core/catalog/product-catalog';
import { buyHold } from '../core/engine/clearing';
import { formatUnits, parseSteps } from '../core/money/decimal';

/** A decimal string on the product's grid: whole steps, and whether it had to be rounded there. */
export interface Snapped {
  steps: number;
  snapped: boolean;
}

/** One product's prices (ticks) and sizes (lots) as the decimal strings orders carry, and amounts in minor units. */
export class ProductGrid {
  constructor(readonly spec: ProductSpec) {}

  price(ticks: number): string {
    return formatUnits(ticks * this.spec.tickUnits, this.spec.quote.scale);
  }

  size(lots: number): string {
    return formatUnits(lots * this.spec.lotUnits, this.spec.base.scale);
  }

  /** What the engine holds for a limit buy of `lots` at `ticks`: the notional and its fee. */
  buyCost(ticks: number, lots: number): number {
    return buyHold(this.spec, ticks, lots);
  }

  /** The fewest lots an order at `ticks` may have: the minimum size, and enough to reach the minimum funds. */
  minLots(ticks: number): number {
    return Math.max(this.spec.minSize, Math.ceil(this.spec.minFunds / (ticks * this.spec.lotTickUnits)));
  }

  baseUnits(lots: number): number {
    return lots * this.spec.lotUnits;
  }

  /** The nearest tick, at least one. */
  snapPrice(text: string): Snapped {
    return snap(text, this.spec.priceIncrement, 1);
  }

  /** The nearest lot, at least the minimum size. */
  snapSize(text: string): Snapped {
    return snap(text, this.spec.sizeIncrement, this.spec.minSize);
  }
}

function snap(text: string, increment: Big, least: number): Snapped {
  const steps = parseSteps(text, increment);
  if (typeof steps === 'number' && steps >= least) return { steps, snapped: false };
  if (steps === 'malformed' && !/^0*(\.0*)?$/.test(text)) throw new Error(`not a decimal number: "${text}"`);
  if (steps === 'too_large') throw new Error(`${text} is too large for this product`);
  const nearest = steps === 'off_step' ? new Big(text).div(increment).round(0, Big.roundHalfUp).toNumber() : 0;
  return { steps: Math.max(least, nearest), snapped: true };
}

/** A whole amount of `currency` in minor units as a decimal string. */
export function amountOf(units: number, currency: CurrencySpec): string {
  return formatUnits(units, currency.scale);
}
