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
  });

  it("fills a user's market order against the demo quotes at the best price the book showed", async () => {
    const user = new ApiClient(exchange.url);
    await user.signUp('trader@example.com');
    await user.expectOk('POST', '/faucet', { currency: 'USDT', amount: '100000' });
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
