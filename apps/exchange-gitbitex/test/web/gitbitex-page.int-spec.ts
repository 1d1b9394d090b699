import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import type { RunningApp } from '@sd/app/app-container';
import { ARTIFACTS, BrowserSession, STEP_MS } from '@sd/app-exchange/testing/browser-session';
import { gitbitexConfigFromEnv } from '../../src/config';
import { startGitbitex } from '../../src/server';

// The embedded default serving a stand-in for gitbitex-web (./stand-in, written here from the
// contract: same layout, same calls in the same order) from GITBITEX_WEB_DIR, driven through
// Debian's Chromium: never a downloaded browser.
const STAND_IN = resolve(__dirname, 'stand-in');
const PASSWORD = 'correct horse 1';

let dataDir: string;
let exchange: RunningApp;
let browser: BrowserSession;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sd-gitbitex-web-'));
  exchange = await startGitbitex(gitbitexConfigFromEnv({ HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir, DEMO_MARKET: 'off', LOG_LEVEL: 'silent', GITBITEX_WEB_DIR: STAND_IN }));
  browser = await BrowserSession.launch();
});

afterAll(async () => {
  await browser?.close();
  await exchange?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

afterEach(() => browser.expectClean());

async function open(path: string): Promise<Page> {
  const page = await browser.open(`${exchange.url}${path}`, { width: 1280, height: 900 });
  await page.locator('#app').waitFor();
  return page;
}

/** Signs up and in through the forms, as a newcomer does; lands on the trade page. */
async function signUpAndIn(page: Page, email: string): Promise<void> {
  await page.fill('#signup-email', email);
  await page.fill('#signup-password', PASSWORD);
  await page.click('#signup-form button');
  await page.waitForURL('**/account/signin');
  await page.fill('#signin-email', email);
  await page.fill('#signin-password', PASSWORD);
  await page.click('#signin-form button');
  await page.waitForURL('**/trade/BTC-USDT');
  await page.locator('#user').filter({ hasText: email }).waitFor();
}

async function faucet(page: Page, currency: string, amount: string): Promise<void> {
  const status = await page.evaluate(
    async ([c, a]) => (await fetch('/api/faucet', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ currency: c, amount: a }) })).status,
    [currency, amount] as const,
  );
  expect(status).toBe(200);
}

async function placeLimit(page: Page, side: 'buy' | 'sell', price: string, size: string): Promise<void> {
  await page.selectOption('#side', side === 'buy' ? '0' : '1');
  await page.selectOption('#type', '1');
  await page.fill('#price', price);
  await page.fill('#size', size);
  await page.click('#submit');
}

async function expectText(page: Page, selector: string, expected: string): Promise<void> {
  try {
    await page.waitForFunction(([s, e]) => document.querySelector(s)?.textContent?.trim() === e, [selector, expected] as const, { timeout: STEP_MS });
  } catch {
    const actual = await page.locator(selector).first().textContent({ timeout: 1000 }).catch(() => '(no such element)');
    throw new Error(`${selector}: expected "${expected}", got "${actual?.trim()}"`);
  }
}

/** Every API request and WebSocket frame the page sends, in order, as `GET /api/...` or `WS {...}`. */
function recordCalls(page: Page): string[] {
  const calls: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/api/')) calls.push(`${request.method()} ${url.pathname}${url.search}`);
  });
  page.on('websocket', (socket) => {
    calls.push(`WS open ${new URL(socket.url()).pathname}`);
    socket.on('framesent', (frame) => calls.push(`WS ${String(frame.payload)}`));
  });
  return calls;
}

describe('a gitbitex-web stand-in in Chromium against the exchange', () => {
  let alice: Page;
  let bob: Page;

  it('reloads /trade/BTC-USDT to the page, which makes its calls in its order, signed in by cookie and stored token', async () => {
    alice = await open('/account/signup');
    await signUpAndIn(alice, 'alice@example.com');
    // The trade page, reached inside the page after sign-in, has loaded the balances: its last call.
    await expectText(alice, '#funds tr[data-currency="BTC"] .available', '0.0000');
    await faucet(alice, 'BTC', '1.5');
    const token = await alice.evaluate(() => localStorage.getItem('access-token'));
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);

    const calls = recordCalls(alice);
    const documentAnswer = await alice.reload();
    expect(documentAnswer?.status()).toBe(200);
    expect(new URL(alice.url()).pathname).toBe('/trade/BTC-USDT');
    await expectText(alice, '#funds tr[data-currency="BTC"] .available', '1.5000');
    const withToken = (message: object): string => `WS ${JSON.stringify({ ...message, token })}`;
    const products = ['BTC-USDT', 'ETH-USDT', 'ETH-BTC'];
    expect(calls).toEqual([
      'GET /api/users/self',
      'GET /api/products',
      'WS open /ws',
      withToken({ type: 'subscribe', product_ids: products, channels: ['ticker'] }),
      withToken({ type: 'subscribe', product_ids: ['BTC-USDT'], channels: ['candles_60'] }),
      'GET /api/products/BTC-USDT/candles?granularity=60',
      'GET /api/products/BTC-USDT/trades',
      withToken({ type: 'subscribe', product_ids: ['BTC-USDT'], channels: ['match', 'level2', 'order'] }),
      withToken({ type: 'subscribe', product_ids: ['BTC-USDT'], channels: ['order'] }),
      'GET /api/orders?productId=BTC-USDT&limit=30&status=open',
      withToken({ type: 'subscribe', currency_ids: ['BTC', 'USDT'], channels: ['funds'] }),
      'GET /api/accounts?currency=BTC&currency=USDT',
    ]);
    // A fresh exchange still draws a chart: one flat bar.
    await expectText(alice, '#candles', '1 bars, last close 0, volume 0.0000');
  });

  it('places an order from the form and follows it, the book and the balances through the pushes; a second trader fills it', async () => {
    await placeLimit(alice, 'sell', '30003.5', '0.5');
    await expectText(alice, '#open-orders tr td.status', 'open');
    await expectText(alice, '#funds tr[data-currency="BTC"] .hold', '0.5000');
    await expectText(alice, '#asks tr[data-price="30003.5"] td:nth-child(2)', '0.5000');

    bob = await open('/account/signup');
    await signUpAndIn(bob, 'bob@example.com');
    await faucet(bob, 'USDT', '20000');
    await bob.reload();
    await expectText(bob, '#funds tr[data-currency="USDT"] .available', '20000.0000');
    await expectText(bob, '#asks tr[data-price="30003.5"] td:nth-child(2)', '0.5000');
    await placeLimit(bob, 'buy', '30003.5', '0.2');

    for (const page of [alice, bob]) {
      await expectText(page, '#last-price', '30003.5 USDT');
      await expectText(page, '#trades li:first-child', 'sell 30003.500000 0.20000000');
      await expectText(page, '#asks tr[data-price="30003.5"] td:nth-child(2)', '0.3000');
    }
    await expectText(alice, '#open-orders tr td:nth-child(4)', '0.2000');
    // 0.2 × 30003.5 = 6000.7 USDT, less the maker's 0.1 %; the taker pays 0.2 % on top.
    await expectText(alice, '#funds tr[data-currency="USDT"] .available', (6000.7 - 6.0007).toFixed(4));
    await expectText(bob, '#funds tr[data-currency="USDT"] .available', (20000 - 6000.7 - 12.0014).toFixed(4));
    await expectText(bob, '#funds tr[data-currency="BTC"] .available', '0.2000');
    await bob.screenshot({ path: join(ARTIFACTS, 'gitbitex-stand-in.png'), fullPage: true });
  });

  it('serves every history-mode route the page has, and keeps unknown API paths a JSON 404', async () => {
    for (const path of ['/', '/trade/ETH-USDT', '/account/signin?ref=/trade/BTC-USDT', '/account/profile', '/account/balance/withdrawal']) {
      const answer = await fetch(`${exchange.url}${path}`);
      expect(answer.status).toBe(200);
      expect(await answer.text()).toContain('GitBitEx stand-in');
    }
    const missing = await fetch(`${exchange.url}/api/products/BTC-USDT/svg-nope`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { message: string }).message).toEqual(expect.any(String));
  });
});
