import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Big from 'big.js';
import type { Page } from 'playwright-core';
import { exchangeConfigFromEnv } from '../../src/config';
import { startExchange, type RunningExchange } from '../../src/server';
import { ARTIFACTS, BrowserSession } from '../../src/testing/browser-session';
import { expectText, faucet, signUp } from './page-actions';

// A real embedded exchange on loopback serving the page from its default WEB_ROOT (the built
// @sd/app-web, a dependency of this app, so turbo builds it first), driven through Debian's
// Chromium: never a downloaded browser.

let dataDir: string;
let exchange: RunningExchange;
let browser: BrowserSession;

/** The embedded default, as `pnpm start` runs it, on a loopback port and a temporary data directory. */
function config(port: number, dir = dataDir, faucet: 'on' | 'off' = 'on'): Parameters<typeof startExchange>[0] {
  return exchangeConfigFromEnv({
    EXCHANGE_MODE: 'embedded',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: dir,
    LOG_LEVEL: 'silent',
    FAUCET: faucet,
    // The page's own orders make the only book it asserts on.
    DEMO_MARKET: 'off',
  });
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sd-web-'));
  exchange = await startExchange(config(0));
  // Refused API calls count; the page's own files do not.
  browser = await BrowserSession.launch({ counted: (path) => path.startsWith('/api/') });
});

afterAll(async () => {
  await browser?.close();
  await exchange?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

afterEach(() => browser.expectClean());

async function open(viewport = { width: 1360, height: 900 }, url = exchange.url): Promise<Page> {
  const page = await browser.open(url, viewport);
  await page.locator('#conn[data-state="open"]').waitFor();
  return page;
}

async function placeLimit(page: Page, side: 'buy' | 'sell', price: string, size: string): Promise<void> {
  await page.check(`#side-${side}`);
  await page.selectOption('#order-type', 'limit');
  await page.fill('#price', price);
  await page.fill('#size', size);
  await page.click('#order-submit');
}

async function balance(page: Page, currency: string): Promise<[string, string]> {
  const row = page.locator(`#balances tr[data-currency="${currency}"]`);
  return [(await row.locator('.available').textContent()) ?? '', (await row.locator('.hold').textContent()) ?? ''];
}

async function noErrorsShown(page: Page): Promise<void> {
  expect(await page.locator('#alerts .alert.error').allTextContents()).toEqual([]);
}

describe('the trading page in Chromium against a real exchange', () => {
  let alice: Page;
  let bob: Page;

  it('lets two traders sign up, fund, trade through the form and each see the fill, the book and their balances', async () => {
    [alice, bob] = await Promise.all([open(), open()]);
    await signUp(alice, 'alice@example.com');
    await signUp(bob, 'bob@example.com');
    await faucet(alice, 'BTC', '1.5');
    await faucet(bob, 'USDT', '20000');

    await placeLimit(alice, 'sell', '30000.25', '0.4');
    // Both see the resting ask, pushed over level2; Alice sees her open order and the hold.
    for (const page of [alice, bob]) await expectText(page, '#book-asks tr[data-price="30000.25"] td:nth-child(2)', '0.4000');
    await expectText(alice, '#open-orders tr td:nth-child(6)', 'open');
    expect(await balance(alice, 'BTC')).toEqual(['1.1', '0.4']);

    await placeLimit(bob, 'buy', '30000.25', '0.4');

    // The fill, for each side of it.
    await expectText(alice, '#fills tr td:nth-child(3)', 'sell');
    await expectText(bob, '#fills tr td:nth-child(3)', 'buy');
    for (const page of [alice, bob]) {
      await expectText(page, '#fills tr td:nth-child(4)', '30000.25');
      await expectText(page, '#fills tr td:nth-child(5)', '0.4');
      // The ask is gone from the book, and the trade is in the tape.
      await expectText(page, '#book-asks', 'No asks');
      await expectText(page, '#trades tr:first-child td:first-child', '30000.25');
    }
    await expectText(alice, '#open-orders', 'No open orders');
    for (const page of [alice, bob]) await expectText(page, '#order-history tr:first-child td:nth-child(7)', 'filled');

    // Fees and balances to the last decimal: 0.4 × 30000.25 = 12000.1 USDT changes hands; fees
    // are charged in the quote currency at the product's maker (Alice) and taker (Bob) rates.
    const product = (await (await fetch(`${exchange.url}/api/products/BTC-USDT`)).json()) as { maker_fee_rate: string; taker_fee_rate: string };
    const value = new Big('0.4').times('30000.25');
    await expectText(alice, '#fills tr td:nth-child(6)', value.times(product.maker_fee_rate).toFixed());
    await expectText(alice, '#fills tr td:nth-child(7)', 'maker');
    await expectText(bob, '#fills tr td:nth-child(6)', value.times(product.taker_fee_rate).toFixed());
    await expectText(bob, '#fills tr td:nth-child(7)', 'taker');
    await expectText(alice, '#balances tr[data-currency="USDT"] .available', value.minus(value.times(product.maker_fee_rate)).toFixed());
    await expectText(alice, '#balances tr[data-currency="BTC"] .hold', '0');
    expect(await balance(alice, 'BTC')).toEqual(['1.1', '0']);
    await expectText(bob, '#balances tr[data-currency="USDT"] .available', new Big('20000').minus(value).minus(value.times(product.taker_fee_rate)).toFixed());
    expect(await balance(bob, 'BTC')).toEqual(['0.4', '0']);
    await expectText(bob, '#balances tr[data-currency="USDT"] .hold', '0');

    await noErrorsShown(alice);
    await noErrorsShown(bob);
  });

  it('shows the full page with a book and a chart (screenshot)', async () => {
    // A few resting orders on both sides so the screenshot shows depth; placed through the API.
    const place = (page: Page, orders: [string, string, string][]): Promise<unknown> =>
      page.evaluate(async (list) => {
        for (const [side, price, size] of list) {
          const answer = await fetch('/api/orders', {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${localStorage.getItem('sd.accessToken')}` },
            body: JSON.stringify({ product_id: 'BTC-USDT', type: 'limit', side, price, size }),
          });
          if (!answer.ok) throw new Error(await answer.text());
        }
      }, orders);
    await place(alice, [['sell', '30010.5', '0.15'], ['sell', '30025', '0.3'], ['sell', '30060.75', '0.5']]);
    await place(bob, [['buy', '29990', '0.05'], ['buy', '29975.5', '0.1'], ['buy', '29940', '0.08']]);
    await expectText(bob, '#book-bids tr:nth-child(3) td:first-child', '29940.00');
    // Two more trades, so the chart and the tape have a range to show.
    await place(bob, [['buy', '30010.5', '0.03']]);
    await place(alice, [['sell', '29990', '0.02']]);
    await expectText(bob, '#trades tr:first-child td:first-child', '29990.00');
    await expectText(bob, '#book-asks tr:last-child td:first-child', '30010.50');
    // Switching the candle size loads that granularity.
    await Promise.all([bob.waitForResponse((r) => r.url().includes('/candles?granularity=300') && r.ok()), bob.click('[data-granularity="300"]')]);
    await bob.click('[data-granularity="60"]');
    await bob.locator('[data-tab="fills"]').click();
    for (const page of [alice, bob]) while ((await page.locator('#alerts .alert.info').count()) > 0) await page.locator('#alerts .alert.info button').first().click();
    await bob.screenshot({ path: join(ARTIFACTS, 'trading-page.png'), fullPage: true });
    await alice.screenshot({ path: join(ARTIFACTS, 'trading-page-maker.png'), fullPage: true });
  });

  it('refuses bad input in the form with a message and sends nothing', async () => {
    const posted: string[] = [];
    bob.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/api/orders')) posted.push(request.postData() ?? '');
    });
    await placeLimit(bob, 'buy', '30000.255', '0.1');
    await expectText(bob, '#order-error', 'Price must be a multiple of 0.01 USDT.');
    await placeLimit(bob, 'buy', '30000', '0.00001');
    await expectText(bob, '#order-error', 'Size must be a multiple of 0.0001 BTC.');
    await placeLimit(bob, 'buy', 'abc', '1');
    await expectText(bob, '#order-error', 'Price must be a plain decimal number such as 12.5, not "abc".');
    expect(posted).toEqual([]);

    // The server's refusals are shown in its words: more than Bob can pay.
    await placeLimit(bob, 'buy', '30000', '100');
    await expectText(bob, '#order-error', 'Insufficient funds');
    expect(posted).toHaveLength(1);
    expect(browser.failedCalls.splice(0)).toEqual([expect.stringMatching(/^4\d\d POST \/api\/orders$/)]);
  });

  it('renders at phone width (375 px) without sideways scrolling', async () => {
    const phone = await open({ width: 375, height: 812 });
    await expectText(phone, '#book-asks tr:last-child td:first-child', '30010.50');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    for (const id of ['#order-submit', '#chart', '#book-bids', '#login']) expect(await phone.locator(id).isVisible()).toBe(true);
    await phone.screenshot({ path: join(ARTIFACTS, 'trading-page-375.png'), fullPage: true });
  });

  it('hides the faucet where the exchange has none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sd-web-nofaucet-'));
    const plain = await startExchange(config(0, dir, 'off'));
    let page: Page | undefined;
    try {
      page = await open(undefined, plain.url);
      await signUp(page, 'carol@example.com');
      await page.click('#faucet-submit');
      await page.locator('#faucet').waitFor({ state: 'hidden' });
      await expectText(page, '#alerts .alert.info:last-child span', 'This exchange has no faucet.');
      expect(browser.failedCalls.splice(0)).toEqual(['404 POST /api/faucet']);
    } finally {
      await page?.context().close();
      await plain.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("shows a product's status and refuses in the form what it forbids", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sd-web-status-'));
    const market = await startExchange({ ...config(0, dir), admins: new Set(['admin@example.com']) });
    let page: Page | undefined;
    try {
      const api = async (method: string, path: string, body: unknown, token?: string): Promise<{ access_token?: string }> => {
        const headers: Record<string, string> = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
        const response = await fetch(`${market.url}/api${path}`, { method, headers, body: JSON.stringify(body) });
        if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
        return (await response.json()) as { access_token?: string };
      };
      const credentials = { email: 'admin@example.com', password: 'correct horse battery staple' };
      await api('POST', '/users', credentials);
      const { access_token: token } = await api('POST', '/users/accessToken', credentials);
      await api('PUT', '/admin/products/ETH-BTC/status', { status: 'cancel_only' }, token);
      await api('PUT', '/admin/products/ETH-USDT/status', { status: 'limit_only' }, token);

      page = await open(undefined, `${market.url}/#ETH-BTC`);
      await signUp(page, 'dave@example.com');
      const posted: string[] = [];
      page.on('request', (request) => {
        if (request.method() === 'POST' && request.url().endsWith('/api/orders')) posted.push(request.postData() ?? '');
      });
      expect(await page.locator('#product option[value="ETH-BTC"]').textContent()).toBe('ETH/BTC (cancel only)');
      await expectText(page, '#order-hint', 'ETH-BTC is cancel-only: open orders can be canceled, new ones are refused.');
      await placeLimit(page, 'buy', '0.05', '1');
      await expectText(page, '#order-error', 'ETH-BTC is cancel-only: open orders can be canceled, new ones are refused.');

      await page.selectOption('#product', 'ETH-USDT');
      await page.check('#side-buy');
      await page.selectOption('#order-type', 'market');
      await page.fill('#size', '1');
      await page.click('#order-submit');
      await expectText(page, '#order-error', 'ETH-USDT is limit-only: market orders are refused.');
      expect(posted).toEqual([]);
    } finally {
      // The page first: the server's close waits for the connections a live page keeps busy.
      await page?.context().close();
      await market.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shows the connection state, reconnects after a restart and resubscribes', async () => {
    const port = Number(new URL(exchange.url).port);
    await exchange.close();
    await expectText(alice, '#conn', 'Disconnected, retrying…');
    exchange = await startExchange(config(port));
    await alice.locator('#conn[data-state="open"]').waitFor({ timeout: 30_000 });
    await bob.locator('#conn[data-state="open"]').waitFor({ timeout: 30_000 });
    // The restarted exchange recovered the book; a new order reaches the other page through the
    // resubscribed level2 and user channels.
    await expectText(bob, '#book-asks tr:last-child td:first-child', '30010.50');
    await placeLimit(alice, 'sell', '30005', '0.1');
    await expectText(bob, '#book-asks tr:last-child td:first-child', '30005.00');
    await expectText(alice, '#open-orders tr:first-child td:nth-child(3)', '30005');
    // Canceled from the open-orders list: it leaves the book and moves to the history.
    await alice.click('#open-orders tr:first-child button.cancel');
    await expectText(bob, '#book-asks tr:last-child td:first-child', '30010.50');
    await expectText(alice, '#order-history tr:first-child td:nth-child(7)', 'canceled');
    await noErrorsShown(bob);
  });
});
