import type { TapeTrade } from '@sd/domain/exchange/tape';
import { malformedTape, tapeOutOfOrder } from './tape-errors';
import { csvRows } from './csv-rows';
import { booleanField, decimalField, epochMillisField, TimeOrder, type ReadCounter } from './tape-fields';

/**
 * Binance's public `aggTrades` dump (spot): agg_trade_id, price, quantity, first_trade_id,
 * last_trade_id, transact_time, is_buyer_maker[, is_best_match], header optional.
 * is_buyer_maker means the resting order bought, so the taker sold.
 */
export async function* binanceAggTrades(file: string, counter: ReadCounter): AsyncGenerator<TapeTrade> {
  const order = new TimeOrder();
  for await (const { fields, line } of csvRows(file, counter)) {
    const where = { file, line };
    if (fields.length !== 7 && fields.length !== 8) throw malformedTape(where, `an aggTrades row has 7 or 8 columns, this one ${fields.length}`);
    const [, price, quantity, , , transactTime, isBuyerMaker] = fields;
    const time = epochMillisField(transactTime, 'transact_time', where);
    if (!order.accepts(time)) throw tapeOutOfOrder(where, time, order.previous);
    yield {
      time,
      price: decimalField(price, 'price', where, { positive: true }),
      size: decimalField(quantity, 'quantity', where, { positive: true }),
      takerSide: booleanField(isBuyerMaker, 'is_buyer_maker', where) ? 'sell' : 'buy',
    };
  }
}
