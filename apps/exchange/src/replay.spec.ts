import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Big from 'big.js';
import { exchangeConfigFromEnv } from './config';
import { startExchange, type RunningExchange } from './server';
import { ApiClient } from './testing/api-client';
import { expectEventually } from './testing/eventually';

jest.setTimeout(180_000);

const SAMPLE = resolve(__dirname, '../../../packages/exchange/samples/BTC-USDT-aggTrades-2023-06-15.csv');

type Candle = [time: number, low: string, high: string, open: string, close: string, volume: string];

/** The 1-minute candles of the tape, computed from the file itself (Binance aggTrades: id, price, qty, first, last, time ms, ...), newest first. */
function candlesOfTape(file: string): { candles: Candle[]; trades: number; lastPrice: string } {
  const minutes = new Map<number, { low: Big; high: Big; open: Big; close: Big; volume: Big }>();
  const rows = readFileSync(file, 'utf8').split('\n').filter((line) => line.trim() !== '');
  for (const row of rows) {
    const [, price, size, , , time] = row.split(',');
    const minute = Math.floor(Number(time) / 60_000) * 60;
    const p = new Big(price!);
    const candle = minutes.get(minute);
    if (candle === undefined) minutes.set(minute, { low: p, high: p, open: p, close: p, volume: new Big(size!) });
    else Object.assign(candle, { low: p.lt(candle.low) ? p : candle.low, high: p.gt(candle.high) ? p : candle.high, close: p, volume: candle.volume.plus(size!) });
  }
  const candles = [...minutes.entries()]
    .sort(([a], [b]) => b - a)
    .map(([time, c]): Candle => [time, c.low.toString(), c.high.toString(), c.open.toString(), c.close.toString(), c.volume.toString()]);
  return { candles, trades: rows.length, lastPrice: new Big(rows.at(-1)!.split(',')[1]!).toString() };
}

/** Every 1-minute candle from `from` to `to` (epoch seconds), newest first, in pages of 300, numbers as big.js writes them. */
async function candlesOfExchange(client: ApiClient, from: number, to: number): Promise<Candle[]> {
  const candles: Candle[] = [];
  for (let end = to; end >= from; end -= 300 * 60) {
    const start = Math.max(from, end - 299 * 60);
    const page = await client.expectOk<Candle[]>('GET', `/products/BTC-USDT/candles?granularity=60&start=${new Date(start * 1000).toISOString()}&end=${new Date(end * 1000).toISOString()}`);
    candles.push(...page.map(([time, ...values]): Candle => [time, ...(values.map((value) => new Big(value).toString()) as [string, string, string, string, string])]));
  }
  return candles;
}

describe('exchange app, embedded: replaying the shipped sample day at full speed', () => {
  let dataDir: string;
  let exchange: RunningExchange | undefined;
  const config = () => exchangeConfigFromEnv({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', DEMO_MARKET: 'off', REPLAY_FILE: SAMPLE, CLOCK_SPEED: 'max' });

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'sd-exchange-replay-'));
  });

  afterAll(async () => {
    await exchange?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('makes every tape trade, and its 1-minute candles are the OHLCV of the tape', async () => {
    const tape = candlesOfTape(SAMPLE);
    const started = performance.now();
    exchange = await startExchange(config());
    const client = new ApiClient(exchange.url);
    let status: { replay: { state: string; trades_replayed: number; trades_snapped: number; bytes_read: number; bytes_total: number; error: string | null } };
    await expectEventually(async () => {
      status = await client.expectOk('GET', '/sandbox');
      return status.replay.state !== 'running';
    }, 120_000);
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(`replayed ${tape.trades} tape trades at CLOCK_SPEED=max in ${seconds.toFixed(1)} s (start included)\n`);
    expect(status!.replay).toMatchObject({ state: 'done', trades_replayed: tape.trades, trades_snapped: 0, error: null });
    expect(status!.replay.bytes_read).toBe(status!.replay.bytes_total);

    // The read side projects behind the engine: the candles are the tape's once it has caught up.
    const [newest] = tape.candles;
    const oldest = tape.candles.at(-1)!;
    let candles: Candle[] = [];
    await expectEventually(async () => {
      candles = await candlesOfExchange(client, oldest[0], newest![0]);
      return JSON.stringify(candles) === JSON.stringify(tape.candles);
    }, 60_000).catch(() => undefined);
    expect(candles).toEqual(tape.candles);
    // The clock ran on from the tape's last trade: the ticker's last price is the tape's.
    expect(new Big((await client.expectOk('GET', '/products/BTC-USDT/stats')).last).toString()).toBe(tape.lastPrice);
  });

  it('refuses to replay again into a journal that is past the tape', async () => {
    await exchange?.close();
    exchange = undefined;
    await expect(startExchange(config())).rejects.toThrow(/the journal already holds commands of 2023-06-1.*a replay needs a fresh data directory \(DATA_DIR\)/);
  });
});

describe('exchange app, embedded: replaying the shipped klines at full speed', () => {
  const KLINES = resolve(__dirname, '../../../packages/exchange/samples/BTC-USDT-klines-1m-2023-06-15.csv');
  let dataDir: string;
  let exchange: RunningExchange | undefined;

  afterAll(async () => {
    await exchange?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("gives back the klines as its 1-minute candles, every trade on the product's grid", async () => {
    // Binance klines: open_time, open, high, low, close, volume, ...; a minute without volume has no candle.
    const expected = readFileSync(KLINES, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => line.split(','))
      .filter(([, , , , , volume]) => !new Big(volume!).eq(0))
      .map(([openTime, open, high, low, close, volume]): Candle => [Number(openTime) / 1000, ...([low, high, open, close, volume].map((value) => new Big(value!).toString()) as [string, string, string, string, string])])
      .reverse();
    dataDir = mkdtempSync(join(tmpdir(), 'sd-exchange-replay-klines-'));
    exchange = await startExchange(exchangeConfigFromEnv({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', DEMO_MARKET: 'off', REPLAY_FILE: KLINES, CLOCK_SPEED: 'max' }));
    const client = new ApiClient(exchange.url);
    let replay!: { state: string; trades_snapped: number; error: string | null };
    await expectEventually(async () => {
      ({ replay } = await client.expectOk('GET', '/sandbox'));
      return replay.state !== 'running';
    }, 120_000);
    expect(replay).toMatchObject({ state: 'done', trades_snapped: 0, error: null });
    let candles: Candle[] = [];
    await expectEventually(async () => {
      candles = await candlesOfExchange(client, expected.at(-1)![0], expected[0]![0]);
      return JSON.stringify(candles) === JSON.stringify(expected);
    }, 60_000).catch(() => undefined);
    expect(candles).toEqual(expected);
  });
});

describe('exchange app, embedded: a replay that waits to be started', () => {
  let dataDir: string;
  let exchange: RunningExchange;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sd-exchange-replay-wait-'));
    exchange = await startExchange(exchangeConfigFromEnv({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', REPLAY_FILE: SAMPLE, REPLAY_START: 'wait', CLOCK_SPEED: 'max' }));
  });

  afterAll(async () => {
    // Mid-replay: it stops after the tape trade in progress.
    await exchange?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("shows the tape's first time on the clock while it waits, and starts on a signed-in request, once", async () => {
    const client = new ApiClient(exchange.url);
    const firstTime = Number(readFileSync(SAMPLE, 'utf8').split('\n')[0]!.split(',')[5]);
    expect(await client.expectOk('GET', '/sandbox')).toEqual({
      demo_market: 'on',
      clock: new Date(firstTime).toISOString(),
      replay: {
        product_id: 'BTC-USDT',
        file: 'BTC-USDT-aggTrades-2023-06-15.csv',
        format: 'binance-aggtrades',
        state: 'waiting',
        speed: 'max',
        trades_replayed: 0,
        trades_snapped: 0,
        bytes_read: expect.any(Number),
        bytes_total: 710_761,
        tape_time: null,
        error: null,
      },
    });
    expect((await client.request('POST', '/sandbox/replay/start')).status).toBe(401);
    await client.signUp('backtester@example.com');
    const started = await client.expectOk('POST', '/sandbox/replay/start');
    expect(started).toMatchObject({ state: 'running' });
    const again = await client.request('POST', '/sandbox/replay/start');
    expect([again.status, again.body.code]).toEqual([409, 'SANDBOX.REPLAY_STARTED']);
    await expectEventually(async () => (await client.expectOk('GET', '/sandbox')).replay.trades_replayed > 0, 10_000);
  });
});

describe('exchange app, embedded: a replay is deterministic', () => {
  /** Every file of the journal and snapshot directories, by path. */
  const files = (dir: string): Map<string, Buffer> =>
    new Map(['journal', 'snapshots'].flatMap((sub) => readdirSync(join(dir, sub)).map((file): [string, Buffer] => [`${sub}/${file}`, readFileSync(join(dir, sub, file))])));

  it('gives byte-identical journals and final snapshots (the engine state) on two runs of the same tape', async () => {
    const work = mkdtempSync(join(tmpdir(), 'sd-exchange-replay-twice-'));
    // The sample's first 600 trades, named as Binance names its dumps (the format is guessed from it).
    const tape = join(work, 'BTCUSDT-aggTrades-2023-06-15.csv');
    writeFileSync(tape, readFileSync(SAMPLE, 'utf8').split('\n').slice(0, 600).join('\n') + '\n');
    const run = async (name: string): Promise<Map<string, Buffer>> => {
      const dataDir = join(work, name);
      const exchange = await startExchange(exchangeConfigFromEnv({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', DEMO_MARKET: 'off', REPLAY_FILE: tape, CLOCK_SPEED: 'max' }));
      const client = new ApiClient(exchange.url);
      await expectEventually(async () => (await client.expectOk('GET', '/sandbox')).replay.state === 'done', 60_000);
      await exchange.close();
      return files(dataDir);
    };
    const first = await run('first');
    const second = await run('second');
    expect([...second.keys()]).toEqual([...first.keys()]);
    expect([...first.keys()].some((file) => file.startsWith('snapshots/'))).toBe(true);
    for (const [file, bytes] of first) expect({ file, same: second.get(file)!.equals(bytes) }).toEqual({ file, same: true });
    rmSync(work, { recursive: true, force: true });
  });
});
