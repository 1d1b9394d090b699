import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningApp } from '@sd/app/app-container';
import { ApiClient } from '@sd/app-exchange/testing/api-client';
import { gitbitexConfigFromEnv } from './config';
import { startGitbitex } from './server';
import { GitbitexClient } from './testing/gitbitex-client';

describe('the Coinbase-style API beside gitbitex-web (COINBASE_API_PATH)', () => {
  let dataDir: string;
  let exchange: RunningApp;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sd-gitbitex-beside-'));
    exchange = await startGitbitex(gitbitexConfigFromEnv({ HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir, DEMO_MARKET: 'off', LOG_LEVEL: 'silent', COINBASE_API_PATH: '/coinbase' }));
  });

  afterAll(async () => {
    await exchange?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves one exchange through both: an order a bot places on the Coinbase API is the page user\'s, on both feeds', async () => {
    const bot = new ApiClient(`${exchange.url}/coinbase`);
    await bot.signUp('bot@example.com', 'correct horse 1');
    await bot.expectOk('POST', '/faucet', { currency: 'BTC', amount: '1' });
    const coinbaseFeed = await bot.socket();
    coinbaseFeed.send({ type: 'subscribe', product_ids: ['BTC-USDT'], channels: ['level2', 'user'], token: bot.token });
    await coinbaseFeed.next((m) => m.type === 'snapshot');
    const page = new GitbitexClient(exchange.url);
    await page.signIn('bot@example.com');
    const pageFeed = await page.socket();
    pageFeed.subscribe(['level2', 'order'], { product_ids: ['BTC-USDT'] });
    await pageFeed.next((m) => m.type === 'subscriptions' && m.channels.some((c: { name: string }) => c.name === 'order'));

    const order = await bot.expectOk('POST', '/orders', { product_id: 'BTC-USDT', side: 'sell', type: 'limit', price: '30000.50', size: '0.25' });
    expect(await coinbaseFeed.next((m) => m.type === 'l2update')).toMatchObject({ product_id: 'BTC-USDT', changes: [['sell', '30000.500000', '0.25000000']] });
    expect(await pageFeed.next((m) => m.type === 'l2update')).toMatchObject({ productId: 'BTC-USDT', changes: [['sell', '30000.5', '0.25000000']] });
    expect(await pageFeed.next((m) => m.type === 'order')).toMatchObject({ id: order.id, status: 'open' });
    expect((await page.orders('BTC-USDT', { status: ['open'] })).items.map((item) => item.id)).toEqual([order.id]);
    // Each API answers in its own shapes, from its own document.
    expect(Object.keys((await bot.expectOk('GET', '/products'))[0])).toContain('base_currency');
    expect(Object.keys((await page.ok('GET', '/products'))[0])).toContain('baseCurrency');
    expect((await fetch(`${exchange.url}/coinbase/api/openapi.json`)).status).toBe(404);
    expect((await fetch(`${exchange.url}/coinbase/api/nothing`)).status).toBe(404);
    coinbaseFeed.close();
    pageFeed.close();
  });

  it('refuses a path gitbitex-web owns', () => {
    for (const path of ['/api', '/ws/x', '/trade', 'coinbase', '/a b']) expect(() => gitbitexConfigFromEnv({ COINBASE_API_PATH: path })).toThrow(/COINBASE_API_PATH/);
  });
});
