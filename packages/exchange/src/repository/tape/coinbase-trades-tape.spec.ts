import { tapeFiles } from './tape-spec-files';

const trade = (id: number, time: string, side = 'buy') => ({ time, trade_id: id, price: `100.${id}`, size: '0.5', side });
const oldestFirst = [trade(1, '2023-06-15T00:00:01.000001Z', 'buy'), trade(2, '2023-06-15T00:00:01.000999Z', 'sell'), trade(3, '2023-06-15T00:00:02Z')];
const expected = [
  { time: 1686787201000, price: '100.1', size: '0.5', takerSide: 'sell' },
  { time: 1686787201000, price: '100.2', size: '0.5', takerSide: 'buy' },
  { time: 1686787202000, price: '100.3', size: '0.5', takerSide: 'sell' },
];

describe('Coinbase trades tape', () => {
  const files = tapeFiles();

  it('reads the API order (newest first) oldest first; side is the maker side', async () => {
    const file = await files.write('newest.json', JSON.stringify([...oldestFirst].reverse()));
    expect(await files.read(file, 'coinbase-trades')).toEqual(expected);
  });

  it('reads a file kept oldest first, pretty-printed', async () => {
    expect(await files.read(await files.write('oldest.json', JSON.stringify(oldestFirst, null, 2)), 'coinbase-trades')).toEqual(expected);
  });

  it('reads an empty answer and a single trade', async () => {
    expect(await files.read(await files.write('empty.json', ' [ ]\n'), 'coinbase-trades')).toEqual([]);
    expect(await files.read(await files.write('one.json', JSON.stringify([oldestFirst[0]])), 'coinbase-trades')).toEqual([expected[0]]);
  });

  it.each([
    ['a size that is a number', '{"time":"2023-06-15T00:00:03Z","trade_id":4,"price":"1","size":0.5,"side":"buy"}', /:2: size is not a decimal string above zero/],
    ['an unknown side', '{"time":"2023-06-15T00:00:03Z","trade_id":4,"price":"1","size":"0.5","side":"up"}', /:2: side is neither "buy" nor "sell"/],
    ['a local time', '{"time":"2023-06-15 00:00:03","trade_id":4,"price":"1","size":"0.5","side":"buy"}', /:2: time is not an ISO 8601 UTC time/],
    ['a nested object', '{"time":"2023-06-15T00:00:03Z","trade_id":4,"price":{"v":"1"},"size":"0.5","side":"buy"}', /:2: not a flat JSON trade object/],
  ])('refuses %s, naming the file and line (newest first)', async (_, bad, message) => {
    const lines = ['[', bad, ...[...oldestFirst].reverse().map((row) => JSON.stringify(row))];
    const file = await files.write('bad.json', `${lines[0]}\n${lines.slice(1).join(',\n')}\n]`);
    const refusal = files.read(file, 'coinbase-trades');
    await expect(refusal).rejects.toMatchObject({ code: 'EXCHANGE.TAPE_MALFORMED', message: expect.stringMatching(message) });
  });

  it('refuses what is not an array of trades', async () => {
    await expect(files.read(await files.write('object.json', '{"trades":[]}'), 'coinbase-trades')).rejects.toThrow(/expected|not a flat JSON/);
    await expect(files.read(await files.write('noclose.json', `[${JSON.stringify(oldestFirst[0])},`), 'coinbase-trades')).rejects.toThrow(/:1: expected "\]" after the last trade/);
    await expect(files.read(await files.write('twocommas.json', `[${JSON.stringify(oldestFirst[0])},\n,${JSON.stringify(oldestFirst[1])}]`), 'coinbase-trades')).rejects.toThrow(/:1: expected "," between two trades/);
  });

  it('refuses a trade out of time order, naming its line', async () => {
    const rows = [oldestFirst[2], oldestFirst[0], trade(5, '2023-06-15T00:00:05Z'), oldestFirst[1]].map((row) => JSON.stringify(row));
    const file = await files.write('shuffled.json', `[\n${rows.join(',\n')}\n]`);
    // Newest first by its ends (id 3 before id 2), read from the end: 2, 5, then 1 goes back.
    await expect(files.read(file, 'coinbase-trades')).rejects.toMatchObject({ code: 'EXCHANGE.TAPE_OUT_OF_ORDER', message: expect.stringContaining(`${file}:3: goes back in time`) });
  });
});
