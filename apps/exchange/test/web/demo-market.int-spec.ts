import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Big from 'big.js';
import { exchangeConfigFromEnv } from '../../src/config';
import { startExchange, type RunningExchange } from '../../src/server';
import { BrowserSession } from '../../src/testing/browser-session';
import { faucet, signUp } from './page-actions';

// A newcomer's first look: the embedded default (the demo market on), the page in Debian's
// Chromium. Within 10 s of start it shows a book with both sides, trades, a last price and a
// candle for its chart, and a market order placed through its form fills against the demo
// quotes at the best ask it showed.

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

it('fills a market order placed through the form at the best ask the page showed', async () => {
  const page = await browser.open(exchange.url, { width: 1360, height: 900 });
  await page.locator('#conn[data-state="open"]').waitFor();
  await signUp(page, 'newcomer@example.com');
  await faucet(page, 'USDT', '100000');
  await page.check('#side-buy');
  await page.selectOption('#order-type', 'market');
  await page.selectOption('#amount-in', 'size');
  await page.fill('#size', '0.001');
  await page.locator('[data-tab="fills"]').click();
  // The maker requotes every second and the takers trade: the book may move between the look
  // and the order's arrival, so a few tries; one must fill whole at the best ask shown.
  const tries: Array<{ shown: string; filled: string[]; sizes: string[] }> = [];
  const whole = (t: (typeof tries)[number]): boolean => t.filled.length === 1 && new Big(t.filled[0]!).eq(t.shown) && new Big(t.sizes[0]!).eq('0.001');
  for (let attempt = 0; attempt < 5 && !tries.some(whole); attempt++) {
    const fillsBefore = await page.locator('#fills tr[data-order-id]').count();
    // The look and the click in one step of the page, so none of its own updates runs between them.
    const shown = await page.evaluate(() => {
      const best = document.querySelector('#book-asks tr:last-child')!.getAttribute('data-price')!;
      document.querySelector<HTMLButtonElement>('#order-submit')!.click();
      return best;
    });
    await page.waitForFunction((before) => document.querySelectorAll('#fills tr[data-order-id]').length > before, fillsBefore);
    const newest = await page.locator('#fills tr[data-order-id]').first().getAttribute('data-order-id');
    const rows = page.locator(`#fills tr[data-order-id="${newest}"]`);
    tries.push({ shown, filled: await rows.locator('td:nth-child(4)').allTextContents(), sizes: await rows.locator('td:nth-child(5)').allTextContents() });
  }
  expect(tries.find(whole)).toBeDefined();
  browser.expectClean();
});
