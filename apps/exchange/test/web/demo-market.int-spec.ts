import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exchangeConfigFromEnv } from '../../src/config';
import { startExchange, type RunningExchange } from '../../src/server';
import { BrowserSession } from '../../src/testing/browser-session';

// A newcomer's first look: the embedded default (the demo market on), the page in Debian's
// Chromium. Within 10 s of start it shows a book with both sides, trades, a last price and a
// candle for its chart.

let dataDir: string;
let exchange: RunningExchange;
let browser: BrowserSession;
let started: number;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sd-web-demo-'));
  started = Date.now();
  exchange = await startExchange(exchangeConfigFromEnv({ EXCHANGE_MODE: 'embedded', HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent' }));
  browser = await BrowserSession.launch({ counted: (path) => path.startsWith('/api/') });
});

afterAll(async () => {
  await browser?.close();
  await exchange?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

it('opens on a live market: a book with both sides, trades, a last price and a candle within 10 s of start', async () => {
  const page = await browser.open('about:blank', { width: 1360, height: 900 });
  // The chart's candles come from REST (rows) or, once the page listens, the `candles` channel.
  let candle = false;
  page.on('response', (response) => {
    if (response.url().includes('/candles?granularity=60')) void response.text().then((body) => (candle ||= body.startsWith('[[')));
  });
  page.on('websocket', (socket) => socket.on('framereceived', ({ payload }) => (candle ||= String(payload).includes('"type":"candles"'))));
  await page.goto(exchange.url);
  const deadline = started + 10_000;
  await page.waitForFunction(
    () =>
      document.querySelectorAll('#book-asks tr').length > 0 &&
      document.querySelectorAll('#book-bids tr').length > 0 &&
      document.querySelectorAll('#trades tr').length > 0 &&
      (document.querySelector('#tk-price')?.textContent ?? '–').trim() !== '–',
    undefined,
    { timeout: Math.max(1, deadline - Date.now()) },
  );
  while (!candle && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  expect(candle).toBe(true);
  browser.expectClean();
});
