import { randomUUID } from 'node:crypto';
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

jest.setTimeout(120_000);

/**
 * Distributed mode on the real services: one process with the engine leader and the history
 * writer, two API processes that follow the Kafka command log, PostgreSQL for accounts and
 * history, MongoDB (FerretDB) for candles and trades, Redis for sessions and rate limits.
 */
describe('exchange app, distributed mode on Kafka, PostgreSQL, MongoDB and Redis', () => {
  const dirs: string[] = [];
  const running: RunningExchange[] = [];
  let schema: { url: string; drop(): Promise<void> };
  let api1: RunningExchange;
  let api2: RunningExchange;

  const start = async (roles: string): Promise<RunningExchange> => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sd-exchange-dist-'));
    dirs.push(dataDir);
    const exchange = await startExchange(exchangeConfigFromEnv({ ...env, ROLES: roles, DATA_DIR: dataDir }));
    running.push(exchange);
    return exchange;
  };
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    schema = await isolatedPostgresSchema(serviceUrl('postgres'), 'exchange_e2e');
    env = {
      ...distributedEnv('e2e', schema.url),
      PORT: '0',
      LOG_LEVEL: 'silent',
      MONGO_URL: `${serviceUrl('mongo').replace(/\/?$/, '/')}exchange_e2e_${randomUUID().slice(0, 8)}`,
      MARKET_DATA: 'mongo',
    };
    await start('engine,history');
    api1 = await start('api');
    api2 = await start('api');
  });

  afterAll(async () => {
    for (const exchange of running.reverse()) await exchange.close();
    await schema?.drop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('trades across two API instances: fills, balances, book, candles and private push', async () => {
    const alice = new ApiClient(api1.url);
    const bob = new ApiClient(api2.url);
    await alice.signUp('alice@example.com');
    await bob.signUp('bob@example.com');
    await alice.expectOk('POST', '/faucet', { currency: 'ETH', amount: '10' });
    await bob.expectOk('POST', '/faucet', { currency: 'USDT', amount: '50000' });

    const bobFeed = await bob.socket();
    bobFeed.send({ type: 'subscribe', product_ids: ['ETH-USDT'], channels: ['level2', 'user', 'funds'], token: bob.token });
    await bobFeed.next((m) => m.type === 'snapshot');

    const ask = await alice.expectOk('POST', '/orders', { product_id: 'ETH-USDT', side: 'sell', type: 'limit', price: '2000.50', size: '3' });
    expect(ask.status).toBe('open');
    // The other instance's replica follows the log: it has the order a moment later.
    await expectEventually(async () => (await bob.expectOk('GET', '/products/ETH-USDT/book?level=2')).asks[0]?.[1] === '3.00000000');
    await bobFeed.next((m) => m.type === 'l2update' && m.changes[0][2] === '3.00000000');

    const bid = await bob.expectOk('POST', '/orders', { product_id: 'ETH-USDT', side: 'buy', type: 'market', size: '1.25' });
    expect(bid).toMatchObject({ status: 'done', done_reason: 'filled', filled_size: '1.25000000', executed_value: '2500.625000', fill_fees: '5.001250' });
    expect(await bobFeed.next((m) => m.type === 'match' && m.liquidity === 'T')).toMatchObject({ price: '2000.500000', size: '1.25000000' });
    expect(await bobFeed.next((m) => m.type === 'funds' && m.currency === 'ETH')).toMatchObject({ available: '1.25000000' });
    expect(bobFeed.messages.some((m) => m.user_id !== undefined && m.liquidity === 'M')).toBe(false);

    expect(await bob.balances()).toMatchObject({
      ETH: { available: '1.25000000', hold: '0.00000000' },
      USDT: { available: '47494.373750', hold: '0.000000' },
    });
    // Alice reads through the other instance: 2500.625 - 0.1 % maker fee (2.500625).
    const aliceOnApi2 = new ApiClient(api2.url);
    aliceOnApi2.token = alice.token;
    await expectEventually(async () => (await aliceOnApi2.balances()).USDT!.available === '2498.124375');
    expect(await aliceOnApi2.balances()).toMatchObject({ ETH: { available: '7.00000000', hold: '1.75000000' }, USDT: { hold: '0.000000' } });
    expect(await bob.expectOk('GET', `/fills?order_id=${bid.id}`)).toEqual([expect.objectContaining({ size: '1.25000000', liquidity: 'T' })]);
    expect(await alice.expectOk('GET', '/orders?status=open')).toEqual([expect.objectContaining({ id: ask.id, filled_size: '1.25000000' })]);
    await expectEventually(async () => (await bob.expectOk('GET', '/products/ETH-USDT/candles?granularity=300'))[0]?.[5] === '1.25000000');
    expect((await bob.expectOk('GET', '/products/ETH-USDT/trades'))[0]).toMatchObject({ price: '2000.500000', size: '1.25000000' });
    bobFeed.close();
  });

  it('refuses a bad order on any instance without changing a balance', async () => {
    const carol = new ApiClient(api1.url);
    await carol.signUp('carol@example.com');
    await carol.expectOk('POST', '/faucet', { currency: 'USDT', amount: '100' });
    const answer = await carol.request('POST', '/orders', { product_id: 'ETH-USDT', side: 'buy', type: 'limit', price: '2000', size: '1' });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('EXCHANGE.INSUFFICIENT_FUNDS');
    const carolOnApi2 = new ApiClient(api2.url);
    carolOnApi2.token = carol.token;
    await expectEventually(async () => (await carolOnApi2.balances()).USDT!.available === '100.000000');
    expect((await carolOnApi2.balances()).USDT).toMatchObject({ hold: '0.000000' });
  });
});
