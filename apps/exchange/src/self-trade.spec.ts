import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exchangeConfigFromEnv } from './config';
import { startExchange, type RunningExchange } from './server';
import { ApiClient } from './testing/api-client';

jest.setTimeout(30_000);

/**
 * Self-trade prevention `dc` (the default) shrinks the larger order by the smaller one. As
 * Coinbase does, the order's `size` goes down with it, so a client sees what remains: in the
 * place answer, GET /orders and GET /orders/:id, open or done, and in the user channel's
 * `change` message.
 */
describe('exchange app, embedded: a self-trade decrement shows in the order', () => {
  let dataDir: string;
  let exchange: RunningExchange;
  let alice: ApiClient;
  let bob: ApiClient;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sd-exchange-stp-'));
    exchange = await startExchange(exchangeConfigFromEnv({ DATA_DIR: dataDir, DEMO_MARKET: 'off', PORT: '0', LOG_LEVEL: 'silent' }));
    alice = new ApiClient(exchange.url);
    bob = new ApiClient(exchange.url);
    await alice.signUp('alice@example.com');
    await bob.signUp('bob@example.com');
    await alice.expectOk('POST', '/faucet', { currency: 'BTC', amount: '2' });
    await alice.expectOk('POST', '/faucet', { currency: 'USDT', amount: '100000' });
    await bob.expectOk('POST', '/faucet', { currency: 'BTC', amount: '2' });
  });

  afterAll(async () => {
    await exchange?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('the incoming order shrinks, rests with its new size, and fills it', async () => {
    const feed = await alice.socket();
    feed.send({ type: 'subscribe', product_ids: ['BTC-USDT'], channels: ['user'], token: alice.token });
    await feed.next((m) => m.type === 'subscriptions');
    const small = await alice.expectOk('POST', '/orders', { product_id: 'BTC-USDT', side: 'sell', type: 'limit', price: '30000', size: '0.2' });
    const buy = await alice.expectOk('POST', '/orders', { product_id: 'BTC-USDT', side: 'buy', type: 'limit', price: '30000', size: '0.5' });
    expect(buy).toMatchObject({ status: 'open', size: '0.30000000', filled_size: '0.00000000' });
    expect(await feed.next((m) => m.type === 'change' && m.order_id === buy.id)).toMatchObject({
      old_size: '0.50000000',
      new_size: '0.30000000',
      reason: 'self_trade',
    });
    expect(await feed.next((m) => m.type === 'done' && m.order_id === small.id)).toMatchObject({ reason: 'canceled', cancel_reason: 'self_trade' });
    expect(await alice.expectOk('GET', `/orders/${buy.id}`)).toMatchObject({ status: 'open', size: '0.30000000' });
    expect((await alice.expectOk('GET', '/orders?status=open')).find((o: { id: string }) => o.id === buy.id)).toMatchObject({ size: '0.30000000' });

    await bob.expectOk('POST', '/orders', { product_id: 'BTC-USDT', side: 'sell', type: 'limit', price: '30000', size: '0.3' });
    expect(await alice.expectOk('GET', `/orders/${buy.id}`)).toMatchObject({ status: 'done', done_reason: 'filled', size: '0.30000000', filled_size: '0.30000000' });
    expect((await alice.expectOk('GET', '/orders?status=done')).find((o: { id: string }) => o.id === buy.id)).toMatchObject({ size: '0.30000000' });
    feed.close();
  });

  it('a larger resting order shrinks by the incoming one, partly filled or not', async () => {
    const feed = await alice.socket();
    feed.send({ type: 'subscribe', product_ids: ['BTC-USDT'], channels: ['user'], token: alice.token });
    await feed.next((m) => m.type === 'subscriptions');
    const large = await alice.expectOk('POST', '/orders', { product_id: 'BTC-USDT', side: 'sell', type: 'limit', price: '31000', size: '1' });
    await bob.expectOk('POST', '/faucet', { currency: 'USDT', amount: '50000' });
    await bob.expectOk('POST', '/orders', { product_id: 'BTC-USDT', side: 'buy', type: 'limit', price: '31000', size: '0.1' });
    const take = await alice.expectOk('POST', '/orders', { product_id: 'BTC-USDT', side: 'buy', type: 'limit', price: '31000', size: '0.4' });
    expect(take).toMatchObject({ status: 'done', done_reason: 'canceled', size: '0.40000000' });
    expect(await feed.next((m) => m.type === 'change' && m.order_id === large.id)).toMatchObject({ old_size: '1.00000000', new_size: '0.60000000' });
    // 0.1 filled, 0.4 taken off: 0.5 of 0.6 remain.
    expect(await alice.expectOk('GET', `/orders/${large.id}`)).toMatchObject({ status: 'open', size: '0.60000000', filled_size: '0.10000000' });
    expect((await alice.expectOk('GET', '/products/BTC-USDT/book?level=3')).asks).toEqual([['31000.000000', '0.50000000', large.id]]);
    feed.close();
  });
});
