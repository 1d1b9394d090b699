import Big from 'big.js';
import type { TapeTrade } from '@sd/domain/exchange/tape';
import { malformedTape, tapeOutOfOrder } from './tape-errors';
import { csvRows } from './csv-rows';
import { decimalField, epochMillisField, TimeOrder, type ReadCounter } from './tape-fields';

export interface Kline {
  openTime: number;
  closeTime: number;
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string;
}

/**
 * The trades a kline stands for, so that a candle built from them over the kline's span has
 * its open, high, low, close and volume exactly:
 * - prices: open, then the extreme the price went to first (the low when close >= open, as
 *   a rising candle usually dips first, else the high), then the other extreme, then close;
 *   a price equal to the one before it is merged into it, so a flat kline is one trade;
 * - times: open at open_time, the extremes at a third and two thirds of the span, close at
 *   close_time, so all fall inside the kline and in order;
 * - sizes: the volume split evenly among the trades in units of its last significant decimal
 *   (one more decimal when it has fewer units than trades: those pieces may be off the grid), the remainder going to the
 *   close, in big.js decimals: they sum to the volume exactly. A kline without volume has
 *   no trades (its candle does not exist either);
 * - taker sides: a trade above the one before it was taken by a buyer, below by a seller;
 *   the open, having none before it, takes the candle's direction (buy when close >= open).
 */
export function klineTrades(kline: Kline): TapeTrade[] {
  const volume = new Big(kline.volume);
  if (volume.eq(0)) return [];
  const rising = new Big(kline.close).gte(kline.open);
  const path = rising ? [kline.open, kline.low, kline.high, kline.close] : [kline.open, kline.high, kline.low, kline.close];
  const span = kline.closeTime - kline.openTime;
  const times = [kline.openTime, kline.openTime + Math.floor(span / 3), kline.openTime + Math.floor((2 * span) / 3), kline.closeTime];
  const points: { price: string; time: number }[] = [];
  path.forEach((price, i) => {
    const last = points[points.length - 1];
    if (last === undefined || !new Big(last.price).eq(price)) points.push({ price, time: times[i]! });
  });
  // The close keeps close_time even when merged away from the middle points.
  points[points.length - 1]!.time = kline.closeTime;

  // Significant decimals only: Binance writes 0.00880000 for a volume on a 0.0001 grid, and
  // pieces of 0.00000001 would be off every product's size grid.
  let decimals = volume.toFixed().split('.')[1]?.length ?? 0;
  let units = volume.times(new Big(10).pow(decimals));
  if (units.lt(points.length)) {
    decimals++;
    units = units.times(10);
  }
  const share = units.div(points.length).round(0, Big.roundDown);
  const unit = new Big(10).pow(-decimals);
  return points.map((point, i) => {
    const isLast = i === points.length - 1;
    const pieceUnits = isLast ? units.minus(share.times(points.length - 1)) : share;
    const previous = points[i - 1];
    const up = previous === undefined ? rising : new Big(point.price).gt(previous.price);
    return { time: point.time, price: point.price, size: pieceUnits.times(unit).toFixed(decimals), takerSide: up ? 'buy' : 'sell' };
  });
}

/**
 * Binance's public `klines` dump: open_time, open, high, low, close, volume, close_time,
 * quote_volume, count, taker_buy_base_volume, taker_buy_quote_volume, ignore; header
 * optional. Each row becomes the trades of `klineTrades`.
 */
export async function* binanceKlines(file: string, counter: ReadCounter): AsyncGenerator<TapeTrade> {
  const order = new TimeOrder();
  for await (const { fields, line } of csvRows(file, counter)) {
    const where = { file, line };
    if (fields.length < 7) throw malformedTape(where, `a klines row has 12 columns (at least open_time to close_time), this one ${fields.length}`);
    const [openTime, open, high, low, close, volume, closeTime] = fields;
    const kline: Kline = {
      openTime: epochMillisField(openTime, 'open_time', where),
      closeTime: epochMillisField(closeTime, 'close_time', where),
      open: decimalField(open, 'open', where, { positive: true }),
      high: decimalField(high, 'high', where, { positive: true }),
      low: decimalField(low, 'low', where, { positive: true }),
      close: decimalField(close, 'close', where, { positive: true }),
      volume: decimalField(volume, 'volume', where, { positive: false }),
    };
    if (kline.closeTime < kline.openTime) throw malformedTape(where, 'close_time is before open_time');
    const lowest = new Big(kline.low);
    const highest = new Big(kline.high);
    if ([kline.open, kline.close].some((price) => lowest.gt(price) || highest.lt(price))) {
      throw malformedTape(where, `open and close must lie between low and high (open ${kline.open}, high ${kline.high}, low ${kline.low}, close ${kline.close})`);
    }
    for (const trade of klineTrades(kline)) {
      if (!order.accepts(trade.time)) throw tapeOutOfOrder(where, trade.time, order.previous);
      yield trade;
    }
  }
}
