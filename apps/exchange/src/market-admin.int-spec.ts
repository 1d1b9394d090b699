import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isolatedPostgresSchema } from '@sd/orm/testing/postgres-schema';
import { serviceUrl } from '@sd/testing/services';
import { exchangeConfigFromEnv } from './config';
import { startExchange, type RunningExchange } from './server';
import { ApiClient } from './testing/api-client';
import { distributedEnv } from './testing/distributed-env';
import { expectEventually } from './testing/eventually';
import { BTC_ETH } from './testing/products';

jest.setTimeout(180_000);

/**
 * Markets as data in distributed mode on the real services: an admin lists a product on one
 * API instance; it trades on every replica, cancel_only holds on every replica, and an engine
 * restarted on the command log and an API replica started afterwards (replaying the log from
 * the start) have it too.
 */
describe('exchange app, distributed: the admin API changes the market on every replica', () => {
  const dirs: string[] = [];
  const running: RunningExchange[] = [];
  let schema: { url: string; drop(): Promise<void> };
  let env: NodeJS.ProcessEnv;

  const start = async (roles: string): Promise<RunningExchange> => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sd-exchange-admin-dist-'));
    dirs.push(dataDir);
    const exchange = await startExchange(exchangeConfigFromEnv({ ...env, ROLES: roles, DATA_DIR: dataDir }));
    running.push(exchange);
    return exchange;
  };
  const as = (client: ApiClient, exchange: RunningExchange): ApiClient => Object.assign(new ApiClient(exchange.url), { token: client.token });

  beforeAll(async () => {
    schema = await isolatedPostgresSchema(serviceUrl('postgres'), 'exchange_admin_e2e');
    env = { ...distributedEnv('admin-e2e', schema.url), PORT: '0', LOG_LEVEL: 'silent', EXCHANGE_ADMINS: 'admin@example.com' };
  });

  afterAll(async () => {
    for (const exchange of running.reverse()) await exchange.close();
    await schema?.drop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('lists, trades, restricts and keeps a product across replicas, an engine restart and a late replica', async () => {
    const engine = await start('engine,history');
    const api1 = await start('api');
    const api2 = await start('api');
    const admin = new ApiClient(api1.url);
    const alice = new ApiClient(api1.url);
    await admin.signUp('admin@example.com');
    await alice.signUp('alice@example.com');
    const bob = new ApiClient(api2.url);
    await bob.signUp('bob@example.com');
    await alice.expectOk('POST', '/faucet', { currency: 'BTC', amount: '2' });
    await bob.expectOk('POST', '/faucet', { currency: 'ETH', amount: '100' });
    expect((await bob.request('GET', '/admin/products')).status).toBe(403);

    expect(await admin.expectOk('POST', '/admin/products', BTC_ETH)).toMatchObject({ id: 'BTC-ETH', status: 'online' });
    // At once on the instance that listed it; on the other as soon as its replica applied the command.
    const ask = await alice.expectOk('POST', '/orders', { product_id: 'BTC-ETH', side: 'sell', type: 'limit', price: '15.5', size: '0.5' });
    await expectEventually(async () => (await bob.request('GET', '/products/BTC-ETH')).status === 200);
    const bid = await bob.expectOk('POST', '/orders', { product_id: 'BTC-ETH', side: 'buy', type: 'limit', price: '15.5', size: '0.2' });
    expect(bid).toMatchObject({ status: 'done', filled_size: '0.20000000', executed_value: '3.10000000', fill_fees: '0.00620000' });
    await expectEventually(async () => (await bob.expectOk('GET', `/fills?order_id=${bid.id}`)).length === 1);

    await as(admin, api2).expectOk('PUT', '/admin/products/BTC-ETH/status', { status: 'cancel_only' });
    await expectEventually(async () => (await alice.expectOk('GET', '/products/BTC-ETH')).status === 'cancel_only');
    for (const [client, side, price] of [[alice, 'sell', '16'], [bob, 'buy', '15']] as const) {
      const refused = await client.request('POST', '/orders', { product_id: 'BTC-ETH', side, type: 'limit', price, size: '0.1' });
      expect(refused).toMatchObject({ status: 400, body: { code: 'EXCHANGE.PRODUCT_NOT_TRADING' } });
    }
    expect(await alice.expectOk('DELETE', `/orders/${ask.id}`)).toBe(ask.id);

    // The engine restarts on the command log (a new process: no snapshot of its own).
    await engine.close();
    running.splice(running.indexOf(engine), 1);
    await start('engine,history');
    // A replica started now replays the log from the first command.
    const api3 = await start('api');
    const carol = new ApiClient(api3.url);
    await carol.signUp('carol@example.com');
    await carol.expectOk('POST', '/faucet', { currency: 'ETH', amount: '10' });
    expect(await carol.expectOk('GET', '/products/BTC-ETH')).toMatchObject({ status: 'cancel_only', taker_fee_rate: '0.002' });
    const refused = await carol.request('POST', '/orders', { product_id: 'BTC-ETH', side: 'buy', type: 'limit', price: '15', size: '0.1' });
    expect(refused.body.code).toBe('EXCHANGE.PRODUCT_NOT_TRADING');

    await as(admin, api3).expectOk('PUT', '/admin/products/BTC-ETH/status', { status: 'online' });
    await alice.expectOk('POST', '/orders', { product_id: 'BTC-ETH', side: 'sell', type: 'limit', price: '15', size: '0.1' });
    await expectEventually(async () => (await carol.expectOk('GET', '/products/BTC-ETH/book?level=2')).asks.length === 1);
    const take = await carol.expectOk('POST', '/orders', { product_id: 'BTC-ETH', side: 'buy', type: 'market', size: '0.1' });
    expect(take).toMatchObject({ status: 'done', filled_size: '0.10000000', executed_value: '1.50000000' });
    await expectEventually(async () => (await carol.expectOk('GET', '/products/BTC-ETH/trades')).length === 2);
  });
});
