import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Big from 'big.js';
import type { TapeFormat, TapeTrade } from '@sd/domain/exchange/tape';
import { generateSampleTrades, minuteCandles, SAMPLE_FILES, sampleTapeFiles, tapeTradeOf } from '../../testing/tape-samples';
import { FileTapeSource } from './file-tape-source';
import { readTape, tapeFiles } from './tape-spec-files';

const SAMPLES = join(__dirname, '..', '..', '..', 'samples');
const sample = (name: string): string => join(SAMPLES, name);

/** Trades compared as numbers: the formats write the same decimals with different zeros. */
const exact = (trades: TapeTrade[]) => trades.map(({ time, price, size, takerSide }) => `${time} ${new Big(price).toString()} ${new Big(size).toString()} ${takerSide}`);

describe('FileTapeSource on the shipped samples', () => {
  it.each([
    [SAMPLE_FILES.aggTrades, 'binance-aggtrades'],
    [SAMPLE_FILES.coinbase, 'coinbase-trades'],
    [SAMPLE_FILES.klines, 'binance-klines'],
  ] as const)('guesses %s as %s from its name, and reads it to the end', async (name, format) => {
    const tape = await new FileTapeSource().open(sample(name));
    expect(tape.format).toBe<TapeFormat>(format);
    const seen: number[] = [];
    let previous = -Infinity;
    for await (const trade of tape) {
      expect(trade.time).toBeGreaterThanOrEqual(previous);
      previous = trade.time;
      seen.push(tape.progress().bytesRead);
    }
    const { bytesRead, bytesTotal } = tape.progress();
    expect(bytesRead).toBe(bytesTotal);
    // The rows handed on, not the 64 KiB read ahead: the first trade is a row in (the Coinbase file's last one).
    expect(seen[0]).toBeLessThan(200);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });

  it('ships what the generator makes (regenerate with `pnpm samples:tapes`)', async () => {
    for (const [name, text] of Object.entries(sampleTapeFiles())) expect(await readFile(sample(name), 'utf8')).toBe(text);
  });

  it('reads the same trades from the aggTrades CSV and the newest-first Coinbase JSON', async () => {
    const generated = generateSampleTrades().map(tapeTradeOf);
    const aggTrades = await readTape(sample(SAMPLE_FILES.aggTrades));
    expect(aggTrades.length).toBeGreaterThan(8_000);
    expect(exact(aggTrades)).toEqual(exact(generated));
    expect(exact(await readTape(sample(SAMPLE_FILES.coinbase)))).toEqual(exact(aggTrades));
  });

  it("reads trades from the klines whose 1-minute candles are the klines' rows", async () => {
    const rows = (await readFile(sample(SAMPLE_FILES.klines), 'utf8')).trim().split('\n').map((line) => line.split(','));
    const expected = rows
      .filter((row) => !new Big(row[5]!).eq(0))
      .map(([openTime, open, high, low, close, volume]) => [Number(openTime), ...[open, high, low, close, volume].map((value) => new Big(value!).toString())]);
    const fromKlines = [...minuteCandles(await readTape(sample(SAMPLE_FILES.klines))).values()];
    const ohlcv = fromKlines.map(({ openTime, open, high, low, close, volume }) => [openTime, ...[open, high, low, close, volume].map(String)]);
    expect(ohlcv).toEqual(expected);
    // And they are the candles of the day's trades themselves.
    const fromTrades = [...minuteCandles(await readTape(sample(SAMPLE_FILES.aggTrades))).values()];
    expect(fromTrades.map(({ openTime, open, high, low, close, volume }) => [openTime, ...[open, high, low, close, volume].map(String)])).toEqual(expected);
  });
});

describe('FileTapeSource format guess', () => {
  const files = tapeFiles();

  it.each([
    [SAMPLE_FILES.aggTrades, 'binance-aggtrades'],
    [SAMPLE_FILES.coinbase, 'coinbase-trades'],
    [SAMPLE_FILES.klines, 'binance-klines'],
  ] as const)('guesses %s as %s from its first line when the name does not tell', async (name, format) => {
    const text = (await readFile(sample(name), 'utf8')).slice(0, 2_000);
    // A name that tells nothing: neither aggtrades, klines, an interval nor .json.
    const file = await files.write(`first-line-${format.split('-')[1]!.slice(0, 2)}.dat`, text.slice(0, text.lastIndexOf('\n') + 1));
    expect((await new FileTapeSource().open(file)).format).toBe(format);
  });

  it('guesses Binance names and headers', async () => {
    const header = 'open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore\n';
    expect((await new FileTapeSource().open(await files.write('BTCUSDT-1m-2025-01-01.csv', header))).format).toBe('binance-klines');
    expect((await new FileTapeSource().open(await files.write('k.csv', header))).format).toBe('binance-klines');
  });

  it('refuses a file it cannot tell, and a directory', async () => {
    const file = await files.write('notes.txt', 'hello, world\n');
    await expect(new FileTapeSource().open(file)).rejects.toMatchObject({ code: 'EXCHANGE.TAPE_UNKNOWN_FORMAT', message: expect.stringContaining(file) });
    await expect(new FileTapeSource().open(SAMPLES)).rejects.toMatchObject({ code: 'EXCHANGE.TAPE_UNKNOWN_FORMAT' });
  });
});
