import Big from 'big.js';

export interface MeanReversionOptions {
  /** How many of the last trade prices the moving average covers. */
  window: number;
  /** How far (basis points) the last price must stray from the average to trade back toward it. */
  bandBps: number;
  /** Each order's size, on the product's size grid. */
  orderSize: string;
  /** The most base currency held beyond the start, long or short. */
  maxPosition: string;
}

export interface Quote {
  side: 'buy' | 'sell';
  price: string;
}

/**
 * The sample strategy: mean reversion of the last trade price to its moving average. Below
 * the average by the band it bids at the last price, above it offers there, within the
 * position limit either way; inside the band it wants no order.
 */
export class MeanReversion {
  private readonly prices: string[] = [];

  constructor(private readonly options: MeanReversionOptions) {}

  observe(price: string): void {
    this.prices.push(price);
    if (this.prices.length > this.options.window) this.prices.shift();
  }

  /** The order it wants working now, given the position; undefined for none. */
  want(position: Big): Quote | undefined {
    if (this.prices.length < this.options.window) return undefined;
    const last = this.prices[this.prices.length - 1]!;
    const average = this.prices.reduce((sum, price) => sum.plus(price), new Big(0)).div(this.prices.length);
    const strayBps = new Big(last).minus(average).div(average).times(10_000);
    const { orderSize, maxPosition, bandBps } = this.options;
    if (strayBps.lte(-bandBps) && position.plus(orderSize).lte(maxPosition)) return { side: 'buy', price: last };
    if (strayBps.gte(bandBps) && position.minus(orderSize).gte(new Big(maxPosition).neg())) return { side: 'sell', price: last };
    return undefined;
  }
}
