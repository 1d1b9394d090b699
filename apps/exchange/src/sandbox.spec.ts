import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exchangeConfigFromEnv } from './config';
import { startExchange, type RunningExchange } from './server';
import { ApiClient } from './testing/api-client';
import { expectEventually } from './testing/eventually';

jest.setTimeout(60_000);

describe('exchange app, embedded: the demo market on a fresh start', () => {
  let dataDir: string;
  let exchange: RunningExchange;
  let started: number;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sd-exchange-demo-'));
    started = Date.now();
    // The embedded default: DEMO_MARKET is on.
    exchange = await startExchange(exchangeConfigFromEnv({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent' }));
  });

  afterAll(async () => {
    await exchange?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows a book with both sides, trades and a 1-minute candle within 10 s of start', async () => {
    const client = new ApiClient(exchange.url);
    const seen = async (): Promise<boolean> => {
      const book = await client.expectOk('GET', '/products/BTC-USDT/book?level=2');
      const trades = await client.expectOk<unknown[]>('GET', '/products/BTC-USDT/trades');
      const candles = await client.expectOk<unknown[]>('GET', '/products/BTC-USDT/candles?granularity=60');
      return book.bids.length >= 5 && book.asks.length >= 5 && trades.length > 0 && candles.length > 0;
    };
    await expectEventually(seen, 10_000 - (Date.now() - started));
    expect(await client.expectOk('GET', '/sandbox')).toMatchObject({ demo_market: 'on', replay: null });
    // Tools read its shape from the API's document.
    const { paths } = await client.expectOk('GET', '/openapi.json');
    expect(Object.keys(paths).filter((path) => path.includes('/sandbox')).sort()).toEqual(['/sandbox', '/sandbox/replay/start']);
  });

  it("fills a user's market order against the demo quotes at the best price the book showed", async () => {
    const user = new ApiClient(exchange.url);
    await user.signUp('trader@example.com');
    await user.expectOk('POST', '/faucet', { currency: 'USDT', amount: '100000' });
    const noReplay = await user.request('POST', '/sandbox/replay/start');
    expect([noReplay.status, noReplay.body.code]).toEqual([409, 'SANDBOX.NO_REPLAY']);
    // The maker requotes every second and the takers trade: the book may move between the look
    // and the order, so a few tries; one must fill exactly at the best ask it was shown.
    const tries: Array<{ shown: string; filled: string[] }> = [];
    for (let attempt = 0; attempt < 5 && !tries.some((t) => t.filled.length === 1 && t.filled[0] === t.shown); attempt++) {
      const book = await user.expectOk('GET', '/products/BTC-USDT/book?level=1');
      const order = await user.expectOk('POST', '/orders', { product_id: 'BTC-USDT', side: 'buy', type: 'market', size: '0.001' });
      expect(order).toMatchObject({ status: 'done', filled_size: '0.00100000' });
      const fills = await user.expectOk<Array<{ order_id: string; price: string; liquidity: string }>>('GET', `/fills?order_id=${order.id}`);
      expect(fills.every((fill) => fill.liquidity === 'T')).toBe(true);
      tries.push({ shown: book.asks[0][0], filled: fills.map((fill) => fill.price) });
    }
    expect(tries.find((t) => t.filled.length === 1 && t.filled[0] === t.shown)).toBeDefined();
  });
});

describe('exchange config: the sandbox', () => {
  const tape = __filename;
  const KEY = Buffer.alloc(32, 7).toString('base64');

  it('runs the demo market in the embedded mode by default, with its seed and dollar prices', () => {
    expect(exchangeConfigFromEnv({}).sandbox).toEqual({ demoMarket: { seed: 1, prices: { BTC: '30000', ETH: '2000', USDT: '1', USDC: '1', USD: '1' } }, replay: null });
    expect(exchangeConfigFromEnv({ DEMO_SEED: '42', DEMO_PRICES: 'BTC:60000, EUR:1.1' }).sandbox.demoMarket).toEqual({ seed: 42, prices: { BTC: '60000', ETH: '2000', USDT: '1', USDC: '1', USD: '1', EUR: '1.1' } });
    expect(exchangeConfigFromEnv({ DEMO_MARKET: 'off' }).sandbox.demoMarket).toBeNull();
  });

  it('reads a replay with its defaults: BTC-USDT, started now, at a tape second a second', () => {
    expect(exchangeConfigFromEnv({ REPLAY_FILE: tape }).sandbox.replay).toEqual({ file: tape, format: undefined, productId: 'BTC-USDT', start: 'now', speed: 1 });
    expect(exchangeConfigFromEnv({ REPLAY_FILE: tape, REPLAY_FORMAT: 'coinbase-trades', REPLAY_PRODUCT: 'ETH-USDT', REPLAY_START: 'wait', CLOCK_SPEED: 'max' }).sandbox.replay).toEqual({
      file: tape,
      format: 'coinbase-trades',
      productId: 'ETH-USDT',
      start: 'wait',
      speed: 'max',
    });
    expect(exchangeConfigFromEnv({ REPLAY_FILE: tape, CLOCK_SPEED: '60' }).sandbox.replay?.speed).toBe(60);
  });

  it('refuses bad sandbox settings with a message naming them', () => {
    expect(() => exchangeConfigFromEnv({ DEMO_MARKET: 'yes' })).toThrow('DEMO_MARKET must be one of on, off');
    expect(() => exchangeConfigFromEnv({ DEMO_SEED: '-1' })).toThrow('DEMO_SEED');
    expect(() => exchangeConfigFromEnv({ DEMO_PRICES: 'BTC=30000' })).toThrow('DEMO_PRICES must list CURRENCY:price pairs');
    expect(() => exchangeConfigFromEnv({ DEMO_PRICES: 'BTC:0' })).toThrow('DEMO_PRICES must list CURRENCY:price pairs');
    expect(() => exchangeConfigFromEnv({ CLOCK_SPEED: '60' })).toThrow('CLOCK_SPEED sets the pace of a market replay: set REPLAY_FILE too');
    expect(() => exchangeConfigFromEnv({ REPLAY_FILE: tape, CLOCK_SPEED: 'fast' })).toThrow('CLOCK_SPEED must be a positive number');
    expect(() => exchangeConfigFromEnv({ REPLAY_FILE: tape, CLOCK_SPEED: '0' })).toThrow('CLOCK_SPEED must be a positive number');
    expect(() => exchangeConfigFromEnv({ REPLAY_FILE: '/no/such/tape.csv' })).toThrow('REPLAY_FILE /no/such/tape.csv: no such file');
    expect(() => exchangeConfigFromEnv({ REPLAY_FILE: tape, REPLAY_FORMAT: 'csv' })).toThrow('REPLAY_FORMAT must be one of binance-aggtrades, binance-klines, coinbase-trades');
    expect(() => exchangeConfigFromEnv({ REPLAY_FILE: tape, REPLAY_START: 'later' })).toThrow('REPLAY_START must be one of now, wait');
  });

  it('runs no demo market in the distributed mode unless asked, and no replay there', () => {
    // Only read, never connected to.
    const distributed = { EXCHANGE_MODE: 'distributed', KAFKA_BROKERS: '127.0.0.1:9', DATABASE_URL: 'postgres://127.0.0.1:9/none', REDIS_URL: 'redis://127.0.0.1:9', AUTH_TOKEN_SECRET: KEY, AUTH_ENCRYPTION_KEY: KEY };
    expect(exchangeConfigFromEnv(distributed).sandbox).toEqual({ demoMarket: null, replay: null });
    expect(exchangeConfigFromEnv({ ...distributed, DEMO_MARKET: 'on' }).sandbox.demoMarket).not.toBeNull();
    expect(() => exchangeConfigFromEnv({ ...distributed, REPLAY_FILE: tape })).toThrow('REPLAY_FILE: a market replay runs in the embedded mode only');
  });
});
