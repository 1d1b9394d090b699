import Big from 'big.js';
import { klineTrades, type Kline } from './binance-klines-tape';
import { tapeFiles } from './tape-spec-files';

const sum = (sizes: string[]): string => sizes.reduce((total, size) => total.plus(size), new Big(0)).toString();

describe('klineTrades', () => {
  const minute = { openTime: 1_686_787_200_000, closeTime: 1_686_787_259_999 };

  it('goes open, low, high, close in a rising kline, with sides following the ticks', () => {
    const trades = klineTrades({ ...minute, open: '100.00', high: '103.00', low: '99.00', close: '102.00', volume: '1.00000001' });
    expect(trades.map(({ price, takerSide }) => [price, takerSide])).toEqual([['100.00', 'buy'], ['99.00', 'sell'], ['103.00', 'buy'], ['102.00', 'sell']]);
    expect(trades.map((trade) => trade.time)).toEqual([1_686_787_200_000, 1_686_787_219_999, 1_686_787_239_999, 1_686_787_259_999]);
    expect(trades.map((trade) => trade.size)).toEqual(['0.25000000', '0.25000000', '0.25000000', '0.25000001']);
  });

  it('goes open, high, low, close in a falling kline', () => {
    const trades = klineTrades({ ...minute, open: '100', high: '101', low: '97', close: '98', volume: '7' });
    expect(trades.map(({ price, takerSide }) => [price, takerSide])).toEqual([['100', 'sell'], ['101', 'buy'], ['97', 'sell'], ['98', 'buy']]);
    expect(sum(trades.map((trade) => trade.size))).toBe('7');
  });

  it('merges equal neighbours: a flat kline is one trade, at close_time', () => {
    expect(klineTrades({ ...minute, open: '5.0', high: '5.00', low: '5', close: '5.0', volume: '2.5' })).toEqual([{ time: minute.closeTime, price: '5.0', size: '2.5', takerSide: 'buy' }]);
    const twoPrices = klineTrades({ ...minute, open: '5', high: '6', low: '5', close: '6', volume: '3' });
    expect(twoPrices.map(({ price, time }) => [price, time])).toEqual([['5', minute.openTime], ['6', minute.closeTime]]);
    expect(twoPrices.map((trade) => trade.size)).toEqual(['1', '2']);
  });

  it('splits a volume smaller than one unit per trade with one more decimal, exactly', () => {
    const trades = klineTrades({ ...minute, open: '10', high: '12', low: '9', close: '11', volume: '0.00000003' });
    expect(trades.map((trade) => trade.size)).toEqual(['0.000000007', '0.000000007', '0.000000007', '0.000000009']);
  });

  it('has no trades for a kline without volume', () => {
    expect(klineTrades({ ...minute, open: '10', high: '10', low: '10', close: '10', volume: '0.00000000' })).toEqual([]);
  });

  it('sums to the volume for any split', () => {
    for (const volume of ['1', '0.1', '13', '123456.78901234', '0.0001', '99.99']) {
      const kline: Kline = { ...minute, open: '2', high: '4', low: '1', close: '3', volume };
      expect(new Big(sum(klineTrades(kline).map((trade) => trade.size))).eq(volume)).toBe(true);
    }
  });
});

describe('Binance klines tape', () => {
  const files = tapeFiles();
  const row = (openTime: number, ohlcv: string) => `${openTime},${ohlcv},${openTime + 59_999},0,1,0,0,0`;

  it('reads rows with a header and in microseconds', async () => {
    const header = 'open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore';
    const micros = '1735689600000000,10,12,9,11,4,1735689659999999,0,1,0,0,0';
    const trades = await files.read(await files.write('k.csv', `${header}\n${micros}\n`), 'binance-klines');
    expect(trades.map(({ time, price }) => [time, price])).toEqual([[1735689600000, '10'], [1735689619999, '9'], [1735689639999, '12'], [1735689659999, '11']]);
  });

  it.each([
    ['a high below the close', '1686787260000,10,10.5,9,11,4,1686787319999,0,1,0,0,0', /:2: open and close must lie between low and high/],
    ['too few columns', '1686787260000,10,12,9,11,4', /:2: a klines row has 12 columns/],
    ['a negative volume', '1686787260000,10,12,9,11,-4,1686787319999,0,1,0,0,0', /:2: volume is not a decimal number/],
    ['close_time before open_time', '1686787260000,10,12,9,11,4,1686787259999,0,1,0,0,0', /:2: close_time is before open_time/],
  ])('refuses %s, naming the line', async (_, bad, message) => {
    const file = await files.write('bad-k.csv', `${row(1_686_787_200_000, '10,12,9,11,4')}\n${bad}\n`);
    await expect(files.read(file, 'binance-klines')).rejects.toMatchObject({ code: 'EXCHANGE.TAPE_MALFORMED', message: expect.stringMatching(message) });
  });

  it('refuses a kline that starts before the previous one ended', async () => {
    const file = await files.write('back-k.csv', `${row(1_686_787_260_000, '10,12,9,11,4')}\n${row(1_686_787_200_000, '10,12,9,11,4')}\n`);
    await expect(files.read(file, 'binance-klines')).rejects.toMatchObject({ code: 'EXCHANGE.TAPE_OUT_OF_ORDER', message: expect.stringContaining(`${file}:2: goes back in time`) });
  });
});
