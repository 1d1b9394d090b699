import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exchangeConfigFromEnv, type ExchangeConfig } from './config';
import { startExchange, type RunningExchange } from './server';
import { ApiClient } from './testing/api-client';
import { BTC_ETH } from './testing/products';

jest.setTimeout(60_000);

/**
 * Markets as data through the API, embedded: an admin lists a product that trades at once,
 * sets it cancel_only, and both survive a restart (snapshot) and a replay (journal alone).
 */
describe('exchange app, embedded: the admin API changes the market', () => {
  let dataDir: string;
  let config: ExchangeConfig;
  let exchange: RunningExchange;
  let admin: ApiClient;
  let alice: ApiClient;
  let bob: ApiClient;

  /** Starts again on the same data; the clients keep their sessions. */
  const restart = async (): Promise<void> => {
    exchange = await startExchange(config);
    const again = (client: ApiClient): ApiClient => Object.assign(new ApiClient(exchange.url), { token: client.token });
    [admin, alice, bob] = [again(admin), again(alice), again(bob)];
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sd-exchange-admin-'));
    config = exchangeConfigFromEnv({ DATA_DIR: dataDir, DEMO_MARKET: 'off', PORT: '0', LOG_LEVEL: 'silent', EXCHANGE_ADMINS: ' Admin@Example.com ,ops@example.com' });
    exchange = await startExchange(config);
    admin = new ApiClient(exchange.url);
    alice = new ApiClient(exchange.url);
    bob = new ApiClient(exchange.url);
    await admin.signUp('admin@example.com');
    await alice.signUp('alice@example.com');
    await bob.signUp('bob@example.com');
    await alice.expectOk('POST', '/faucet', { currency: 'BTC', amount: '2' });
    await bob.expectOk('POST', '/faucet', { currency: 'ETH', amount: '100' });
  });

  afterAll(async () => {
    await exchange?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is for admins only', async () => {
    expect((await alice.request('GET', '/admin/products')).status).toBe(403);
    expect((await new ApiClient(exchange.url).request('GET', '/admin/products')).status).toBe(401);
    expect((await admin.expectOk('GET', '/admin/currencies')).map((c: { id: string }) => c.id)).toEqual(['BTC', 'ETH', 'USDT']);
    expect(await alice.expectOk('GET', '/products')).toHaveLength(3);
  });

  it('refuses an invalid product with the reason, changing nothing', async () => {
    const answer = await admin.request('POST', '/admin/products', { ...BTC_ETH, quote_increment: '0.000000001' });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 'EXCHANGE.INVALID_PRODUCT', message: expect.stringMatching(/not a multiple of the ETH minor unit/) });
    expect((await admin.request('POST', '/admin/products', { ...BTC_ETH, id: 'ETH-USDT' })).body.code).toBe('EXCHANGE.PRODUCT_EXISTS');
    expect(await admin.expectOk('GET', '/admin/products')).toHaveLength(3);
  });

  it('lists a product that trades at once', async () => {
    const listed = await admin.request('POST', '/admin/products', BTC_ETH);
    expect(listed).toMatchObject({ status: 201, body: { id: 'BTC-ETH', status: 'online', quote_increment: '0.0001', taker_fee_rate: '0.002' } });
    const ask = await alice.expectOk('POST', '/orders', { product_id: 'BTC-ETH', side: 'sell', type: 'limit', price: '15.5', size: '0.5' });
    const bid = await bob.expectOk('POST', '/orders', { product_id: 'BTC-ETH', side: 'buy', type: 'limit', price: '15.5', size: '0.2' });
    // 0.2 × 15.5 = 3.1 ETH, taker fee 0.2 % = 0.0062.
    expect(bid).toMatchObject({ status: 'done', filled_size: '0.20000000', executed_value: '3.10000000', fill_fees: '0.00620000' });
    expect((await bob.expectOk('GET', '/products/BTC-ETH/book?level=2')).asks).toEqual([['15.50000000', '0.30000000', 1]]);
    expect(await alice.expectOk('GET', `/orders/${ask.id}`)).toMatchObject({ status: 'open', filled_size: '0.20000000' });
    expect(await bob.expectOk('GET', `/fills?order_id=${bid.id}`)).toEqual([expect.objectContaining({ product_id: 'BTC-ETH', fee: '0.00620000' })]);
  });

  it('changes fees, and cancel_only refuses new orders but accepts cancels', async () => {
    const fees = await admin.expectOk('PUT', '/admin/products/BTC-ETH/fees', { maker_fee_rate: '0', taker_fee_rate: '0.001' });
    expect(fees).toMatchObject({ maker_fee_rate: '0', taker_fee_rate: '0.001' });
    const resting = await alice.expectOk('POST', '/orders', { product_id: 'BTC-ETH', side: 'sell', type: 'limit', price: '16', size: '0.1' });
    expect(await admin.expectOk('PUT', '/admin/products/BTC-ETH/status', { status: 'cancel_only' })).toMatchObject({ status: 'cancel_only' });
    expect((await alice.expectOk('GET', '/products/BTC-ETH')).status).toBe('cancel_only');
    const refused = await bob.request('POST', '/orders', { product_id: 'BTC-ETH', side: 'buy', type: 'limit', price: '16', size: '0.1' });
    expect(refused).toMatchObject({ status: 400, body: { code: 'EXCHANGE.PRODUCT_NOT_TRADING' } });
    expect(await alice.expectOk('DELETE', `/orders/${resting.id}`)).toBe(resting.id);
    expect((await admin.request('PUT', '/admin/products/BTC-ETH/status', { status: 'closed' })).status).toBe(400);
  });

  it('keeps the product, its fees and its status across a restart and a replay of the journal alone', async () => {
    const expectMarket = async (): Promise<void> => {
      expect(await alice.expectOk('GET', '/products/BTC-ETH')).toMatchObject({ status: 'cancel_only', taker_fee_rate: '0.001' });
      const refused = await bob.request('POST', '/orders', { product_id: 'BTC-ETH', side: 'buy', type: 'limit', price: '16', size: '0.1' });
      expect(refused.body.code).toBe('EXCHANGE.PRODUCT_NOT_TRADING');
      expect((await alice.expectOk('GET', '/orders?status=open&product_id=BTC-ETH')).map((o: { size: string }) => o.size)).toEqual(['0.50000000']);
      expect(await bob.expectOk('GET', '/orders?status=done&product_id=BTC-ETH')).toEqual([expect.objectContaining({ filled_size: '0.20000000' })]);
    };
    await exchange.close();
    await restart();
    await expectMarket();
    // The journal alone: no snapshot, and a history that starts over from the first command.
    await exchange.close();
    rmSync(join(dataDir, 'snapshots'), { recursive: true, force: true });
    rmSync(join(dataDir, 'history.sqlite'), { force: true });
    await restart();
    await expectMarket();
    await admin.expectOk('PUT', '/admin/products/BTC-ETH/status', { status: 'online' });
    const bid = await bob.expectOk('POST', '/orders', { product_id: 'BTC-ETH', side: 'buy', type: 'market', size: '0.1' });
    // Taker fee is the changed 0.1 %: 0.1 × 15.5 = 1.55, fee 0.00155.
    expect(bid).toMatchObject({ status: 'done', filled_size: '0.10000000', fill_fees: '0.00155000' });
  });
});
