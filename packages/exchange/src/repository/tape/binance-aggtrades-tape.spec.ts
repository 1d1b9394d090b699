import { tapeFiles } from './tape-spec-files';

describe('Binance aggTrades tape', () => {
  const files = tapeFiles();
  const rows = ['26129,0.01633102,4.70443515,27781,27781,1498793709153,True,True', '26130,0.01633200,0.10000000,27782,27783,1498793709160,False,True'];
  const expected = [
    { time: 1498793709153, price: '0.01633102', size: '4.70443515', takerSide: 'sell' },
    { time: 1498793709160, price: '0.01633200', size: '0.10000000', takerSide: 'buy' },
  ];

  it('reads rows without a header; is_buyer_maker means the taker sold', async () => {
    expect(await files.read(await files.write('plain.csv', rows.join('\n')), 'binance-aggtrades')).toEqual(expected);
  });

  it('skips a header row, reads CRLF lines and the 7-column form', async () => {
    const header = 'agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker';
    const text = [header, ...rows.map((row) => row.replace(/,True$/, ''))].join('\r\n') + '\r\n';
    expect(await files.read(await files.write('header.csv', text), 'binance-aggtrades')).toEqual(expected);
  });

  it('reads times in microseconds (spot dumps since 2025) as milliseconds', async () => {
    const text = '1,97000.5,0.1,1,1,1735689600123456,false,true\n2,97000.6,0.2,2,2,1735689600124999,true,true\n';
    const trades = await files.read(await files.write('micros.csv', text), 'binance-aggtrades');
    expect(trades.map((trade) => trade.time)).toEqual([1735689600123, 1735689600124]);
  });

  it.each([
    ['a price that is not a number', '2,abc,0.1,2,2,1498793709160,True,True', /:3: price is not a decimal number/],
    ['a zero quantity', '2,1.5,0.000,2,2,1498793709160,True,True', /:3: quantity must be above zero/],
    ['a missing column', '2,1.5,0.1,2,1498793709160,True', /:3: an aggTrades row has 7 or 8 columns, this one 6/],
    ['a bad is_buyer_maker', '2,1.5,0.1,2,2,1498793709160,yes,True', /:3: is_buyer_maker is neither true nor false/],
    ['a bad time', '2,1.5,0.1,2,2,2017-06-30,True,True', /:3: transact_time is not a time/],
  ])('refuses %s, naming the file and line', async (_, bad, message) => {
    const file = await files.write('bad.csv', [rows[0], rows[1], bad].join('\n'));
    await expect(files.read(file, 'binance-aggtrades')).rejects.toMatchObject({ code: 'EXCHANGE.TAPE_MALFORMED', message: expect.stringMatching(message) });
    await expect(files.read(file, 'binance-aggtrades')).rejects.toThrow(file);
  });

  it('refuses a row that goes back in time, naming it', async () => {
    const file = await files.write('backwards.csv', [...rows, '26131,0.0163,1.0,27784,27784,1498793709155,True,True'].join('\n'));
    await expect(files.read(file, 'binance-aggtrades')).rejects.toMatchObject({ code: 'EXCHANGE.TAPE_OUT_OF_ORDER', message: expect.stringContaining(`${file}:3: goes back in time`) });
  });
});
