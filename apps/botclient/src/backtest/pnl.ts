import Big from 'big.js';

/** What P&L needs of a fill (the API's fill has more); decimal strings, `fee` in the quote currency. */
export interface PnlFill {
  side: 'buy' | 'sell';
  price: string;
  size: string;
  fee: string;
}

export interface ProfitAndLoss {
  /** Base currency held beyond the start: positive long, negative short. */
  position: Big;
  /** Average price of the open position (zero when flat). */
  averageCost: Big;
  /** Gains of the closed part at average cost, less every fee paid. */
  realized: Big;
  fees: Big;
  /** The open position valued at `mark` against its average cost. */
  unrealized: Big;
  /** realized + unrealized: the change of quote + base valued at `mark`. */
  total: Big;
  bought: Big;
  sold: Big;
}

/** An average cost that does not end (a third, say) is rounded at this many places. */
const AVERAGE_COST_PLACES = 8;

/**
 * P&L of fills in the order they happened, on the average-cost method, with the open
 * position marked at `mark` (the last trade price). big.js decimals: the total (cash flows
 * plus the position at the mark) is exact; unrealized is the position times the mark less
 * the average cost (rounded at 8 places when it does not end), and realized the rest, so
 * realized + unrealized = total exactly.
 */
export function profitAndLoss(fills: readonly PnlFill[], mark: string): ProfitAndLoss {
  const zero = new Big(0);
  let position = zero;
  /** What the open position cost: positive long, negative short (what a short sold for). */
  let cost = zero;
  /** Quote received less quote paid, fees included. */
  let cash = zero;
  let fees = zero;
  let bought = zero;
  let sold = zero;
  for (const fill of fills) {
    const price = new Big(fill.price);
    const signed = fill.side === 'buy' ? new Big(fill.size) : new Big(fill.size).neg();
    cash = cash.minus(signed.times(price)).minus(fill.fee);
    fees = fees.plus(fill.fee);
    if (fill.side === 'buy') bought = bought.plus(fill.size);
    else sold = sold.plus(fill.size);
    const after = position.plus(signed);
    if (position.eq(0) || position.gt(0) === signed.gt(0)) cost = cost.plus(signed.times(price));
    // Reducing: the rest keeps its average cost; past flat, the rest of the fill opens the other way at its price.
    else if (after.eq(0) || after.gt(0) === position.gt(0)) cost = cost.times(after).div(position);
    else cost = after.times(price);
    position = after;
  }
  const total = cash.plus(position.times(mark));
  const averageCost = position.eq(0) ? zero : cost.div(position).round(AVERAGE_COST_PLACES);
  const unrealized = position.times(new Big(mark).minus(averageCost));
  return { position, averageCost, realized: total.minus(unrealized), fees, unrealized, total, bought, sold };
}
