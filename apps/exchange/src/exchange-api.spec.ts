import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Big from 'big.js';
import { exchangeConfigFromEnv, type ExchangeConfig } from './config';
import { Tracing as TracingToken } from './container';
import { startExchange, type RunningExchange } from './server';
import type { Tracing } from '@sd/tracing/tracing';
import { ApiClient } from './testing/api-client';
import { ContractRecorder } from './testing/contract';

jest.setTimeout(30_000);

// The embedded default keeps its read side in a worker thread; READ_SIDE=inline runs it on the request thread.
describe.each(['worker', 'inline'])('exchange app, embedded, read side %s, through HTTP and WebSocket', (readSide) => {
  let dataDir: string;
  let config: ExchangeConfig;
  let exchange: RunningExchange;
  let alice: ApiClient;
  let bob: ApiClient;
  const contract = new ContractRecorder();

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sd-exchange-'));
    config = exchangeConfigFromEnv({ DATA_DIR: dataDir, DEMO_MARKET: 'off', PORT: '0', LOG_LEVEL: 'silent', TRACING: 'memory', READ_SIDE: readSide });
    exchange = await startExchange(config);
    alice = new ApiClient(exchange.url, contract);
    bob = new ApiClient(exchange.url, contract);
    await alice.signUp('alice@example.com');
    await bob.signUp('bob@example.com');
    await alice.expectOk('POST', '/faucet', { currency: 'BTC', amount: '2' });
    await bob.expectOk('POST', '/faucet', { currency: 'USDT', amount: '100000' });
  });

  afterAll(async () => {
    await exchange?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists the products with their increments', async () => {
    const products = await alice.expectOk<Array<{ id: string; quote_increment: string; base_increment: string }>>('GET', '/products');
    expect(products.map((p) => p.id)).toEqual(expect.arrayContaining(['BTC-USDT', 'ETH-USDT', 'ETH-BTC']));
    expect(products.find((p) => p.id === 'BTC-USDT')).toMatchObject({ quote_increment: '0.01', base_increment: '0.0001' });
  });

  it('trades two users against each other: fills, book and balances exact to the last decimal', async () => {
    const aliceFeed = await alice.socket();
    const bobFeed = await bob.socket();
    aliceFeed.send({ type: 'subscribe', product_ids: ['BTC-USDT'], channels: ['level2', 'matches', 'user', 'funds'], token: alice.token });
    bobFeed.send({ type: 'subscribe', product_ids: ['BTC-USDT'], channels: ['user'], token: bob.token });
    const snapshot = await aliceFeed.next((m) => m.type === 'snapshot');
    await bobFeed.next((m) => m.type === 'subscriptions');

    const ask = await alice.expectOk('POST', '/orders', { product_id: 'BTC-USDT', side: 'sell', type: 'limit', price: '30000.10', size: '0.5' });
    expect(ask).toMatchObject({ status: 'open', side: 'sell', filled_size: '0.00000000' });
    const book = await bob.expectOk('GET', '/products/BTC-USDT/book?level=2');
    expect(book.asks).toEqual([['30000.100000', '0.50000000', 1]]);

    const bid = await bob.expectOk('POST', '/orders', { product_id: 'BTC-USDT', side: 'buy', type: 'limit', price: '30001', size: '0.2', client_oid: 'bob-1' });
    // Bob takes 0.2 at the maker's price: 6000.02 USDT, taker fee 0.2 % = 12.00004.
    expect(bid).toMatchObject({ status: 'done', done_reason: 'filled', filled_size: '0.20000000', executed_value: '6000.020000', fill_fees: '12.000040' });

    const match = await aliceFeed.next((m) => m.type === 'match' && m.channel !== 'user');
    expect(match).toMatchObject({ product_id: 'BTC-USDT', price: '30000.100000', size: '0.20000000', side: 'sell', maker_order_id: ask.id, taker_order_id: bid.id });
    const update = await aliceFeed.next((m) => m.type === 'l2update' && m.changes.some((c: string[]) => c[2] === '0.30000000'));
    expect(update.sequence).toBeGreaterThan(snapshot.sequence);
    expect(await bobFeed.next((m) => m.type === 'done' && m.order_id === bid.id)).toMatchObject({ reason: 'filled' });
    expect(bobFeed.messages.some((m) => m.order_id === ask.id && m.type !== 'match')).toBe(false);
    // Alice: 6000.02 USDT less the maker fee of 0.1 % (6.00002); 0.5 BTC held, 0.2 of it sold.
    expect(await aliceFeed.next((m) => m.type === 'funds' && m.currency === 'USDT')).toMatchObject({ available: '5994.019980' });
    const aliceBalances = await alice.balances();
    expect(aliceBalances.BTC).toMatchObject({ available: '1.50000000', hold: '0.30000000', balance: '1.80000000' });
    expect(aliceBalances.USDT).toMatchObject({ available: '5994.019980', hold: '0.000000' });
    // Bob: 100000 - 6000.02 - 12.00004.
    const bobBalances = await bob.balances();
    expect(bobBalances.BTC).toMatchObject({ available: '0.20000000', hold: '0.00000000' });
    expect(bobBalances.USDT).toMatchObject({ available: '93987.979960', hold: '0.000000', balance: '93987.979960' });
    // Every unit is somewhere: the fee account holds exactly both fees.
    expect(new Big('100000').minus(bobBalances.USDT!.balance).minus(aliceBalances.USDT!.balance).toFixed()).toBe('18.00006');

    // The read side: public trades and candles, private fills and done orders.
    const [trade] = await bob.expectOk('GET', '/products/BTC-USDT/trades');
    expect(trade).toMatchObject({ trade_id: match.trade_id, price: '30000.100000', size: '0.20000000', side: 'sell' });
    const [candle] = await bob.expectOk('GET', '/products/BTC-USDT/candles?granularity=60');
    expect(candle.slice(1)).toEqual(['30000.100000', '30000.100000', '30000.100000', '30000.100000', '0.20000000']);
    expect(await bob.expectOk('GET', `/fills?order_id=${bid.id}`)).toEqual([
      expect.objectContaining({ order_id: bid.id, liquidity: 'T', fee: '12.000040', side: 'buy', size: '0.20000000' }),
    ]);
    expect(await bob.expectOk('GET', '/orders?status=done')).toEqual([expect.objectContaining({ id: bid.id, done_reason: 'filled' })]);
    expect(await alice.expectOk('GET', `/fills?order_id=${bid.id}`)).toEqual([]);
    expect(await bob.expectOk('GET', '/products/BTC-USDT/ticker')).toMatchObject({ price: '30000.100000', ask: '30000.100000', volume: '0.20000000' });
    expect((await bob.request('GET', '/products/BTC-USDT/candles?granularity=61')).status).toBe(400);

    expect((await fetch(`${exchange.url}/metrics`)).status).toBe(404);
    const metrics = await (await fetch(`${exchange.metricsUrl}/metrics`)).text();
    expect(metrics).toMatch(/exchange_engine_commands_total\{type="place",result="accepted"\} [1-9]/);
    expect(metrics).toMatch(/exchange_engine_apply_seconds_count [1-9]/);
    expect(metrics).toMatch(/exchange_websocket_clients 2/);
    expect(metrics).toMatch(/exchange_sequencer_queue_depth 0/);
    expect(metrics).toMatch(/http_request_duration_seconds_count\{method="POST",route="\/api\/orders"\} [1-9]/);

    // One trace from the HTTP request through the sequencer to the engine output.
    const spans = exchange.container.get<Tracing>(TracingToken).finishedSpans();
    const sequenced = spans.find((span) => span.name === 'exchange.sequence_and_apply' && span.attributes['exchange.sequence'] === Number(bid.id))!;
    const request = spans.find((span) => span.spanContext().spanId === sequenced.parentSpanContext?.spanId)!;
    expect(request.name).toBe('HTTP POST /api/orders');
    expect(request.attributes['http.response.status_code']).toBe(200);
    const published = spans.filter((span) => span.name === 'exchange.publish_outcomes' && span.spanContext().traceId === request.spanContext().traceId);
    expect(published.some((span) => Number(span.attributes['exchange.last_sequence']) >= Number(bid.id))).toBe(true);
    aliceFeed.close();
    bobFeed.close();
  });

  it('refuses bad orders with a 4xx and a message, and changes no balance', async () => {
    const before = await bob.balances();
    const bad = [
      { product_id: 'BTC-USDT', side: 'buy', type: 'limit', price: '100.001', size: '1' },
      { product_id: 'BTC-USDT', side: 'buy', type: 'limit', price: 'NaN', size: '1' },
      { product_id: 'BTC-USDT', side: 'buy', type: 'limit', price: '1e3', size: '1' },
      { product_id: 'BTC-USDT', side: 'buy', type: 'limit', price: -5, size: '1' },
      { product_id: 'BTC-USDT', side: 'buy', type: 'limit', price: '100', size: '0.00001' },
      { product_id: 'DOGE-USDT', side: 'buy', type: 'limit', price: '1', size: '1' },
      { product_id: 'BTC-USDT', side: 'buy', type: 'limit', price: '900000', size: '10' },
      { product_id: 'BTC-USDT', side: 'up', type: 'limit', price: '100', size: '1' },
    ];
    for (const order of bad) {
      const answer = await bob.request('POST', '/orders', order);
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      expect(typeof answer.body.message).toBe('string');
    }
    expect((await bob.request('POST', '/orders', '{"product_id":')).status).toBe(400);
    expect((await bob.request('POST', '/orders', [1, 2])).status).toBe(400);
    expect(await bob.balances()).toEqual(before);
  });

  it('rejects a duplicate client order id and cancels by id, by client id and all', async () => {
    const order = { product_id: 'BTC-USDT', side: 'buy', type: 'limit', price: '100', size: '0.1', client_oid: 'dup-1' };
    const first = await bob.expectOk('POST', '/orders', order);
    const again = await bob.request('POST', '/orders', order);
    expect(again.status).toBe(400);
    expect(again.body.code).toBe('EXCHANGE.DUPLICATE_CLIENT_OID');
    expect(await bob.expectOk('GET', `/orders/${first.id}`)).toMatchObject({ id: first.id, status: 'open' });
    expect(await bob.expectOk('DELETE', '/orders/client:dup-1')).toBe(first.id);
    expect((await bob.request('DELETE', `/orders/${first.id}`)).status).toBe(404);

    const a = await bob.expectOk('POST', '/orders', { product_id: 'BTC-USDT', side: 'buy', type: 'limit', price: '101', size: '0.1' });
    const b = await bob.expectOk('POST', '/orders', { product_id: 'ETH-USDT', side: 'buy', type: 'limit', price: '10', size: '0.1' });
    expect(await bob.expectOk('DELETE', '/orders?product_id=BTC-USDT')).toEqual([a.id]);
    expect((await bob.expectOk('GET', '/orders?status=open')).map((o: { id: string }) => o.id)).toEqual([b.id]);
    expect(await bob.expectOk('DELETE', '/orders')).toEqual([b.id]);
    expect((await bob.balances()).USDT!.hold).toBe('0.000000');
  });

  it('keeps users out of each other’s orders and private channels', async () => {
    const order = await alice.expectOk('POST', '/orders', { product_id: 'BTC-USDT', side: 'sell', type: 'limit', price: '40000', size: '0.1' });
    expect((await bob.request('GET', `/orders/${order.id}`)).status).toBe(404);
    expect((await bob.request('DELETE', `/orders/${order.id}`)).status).toBe(404);
    expect(await alice.expectOk('GET', `/orders/${order.id}`)).toMatchObject({ status: 'open' });
    expect((await new ApiClient(exchange.url, contract).request('GET', '/accounts')).status).toBe(401);

    const anonymous = await new ApiClient(exchange.url).socket();
    anonymous.send({ type: 'subscribe', product_ids: ['BTC-USDT'], channels: ['user'] });
    expect(await anonymous.next((m) => m.type === 'error')).toMatchObject({ type: 'error' });
    anonymous.send('not json');
    expect(anonymous.messages.filter((m) => m.type === 'error')).toHaveLength(1);
    await anonymous.next((m) => m.type === 'error' && m.code === 'WS.MALFORMED');
    anonymous.close();
  });

  it("speaks Coinbase's routes: time, currencies, open orders by default, cursor headers, ledger, holds, transfers and withdrawals", async () => {
    const time = await bob.expectOk('GET', '/time');
    expect(Math.abs(time.epoch * 1000 - Date.parse(time.iso))).toBeLessThan(1);
    expect(await bob.expectOk('GET', '/currencies/USDT')).toMatchObject({ id: 'USDT', max_precision: '0.000001', status: 'online' });
    expect((await bob.expectOk('GET', '/currencies')).map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining(['BTC', 'ETH', 'USDT']));
    expect((await bob.request('GET', '/currencies/DOGE')).status).toBe(404);

    const carol = new ApiClient(exchange.url, contract);
    await carol.signUp(`carol-${readSide}@example.com`);
    await carol.expectOk('POST', '/faucet', { currency: 'USDT', amount: '1000' });
    const bids = [];
    for (const price of ['10', '11', '12']) bids.push(await carol.expectOk('POST', '/orders', { product_id: 'BTC-USDT', side: 'buy', type: 'limit', price, size: '1' }));
    await carol.expectOk('DELETE', `/orders/${bids[0].id}`);
    // No status: open orders only, as Coinbase (and ccxt's fetchOpenOrders) expect; status repeats.
    expect((await carol.expectOk('GET', '/orders')).map((o: { id: string }) => o.id)).toEqual([bids[2].id, bids[1].id]);
    expect((await carol.expectOk('GET', '/orders?status=done')).map((o: { id: string }) => o.id)).toEqual([bids[0].id]);
    expect((await carol.expectOk('GET', '/orders?status=open&status=done')).map((o: { id: string }) => o.id)).toEqual([bids[2].id, bids[1].id, bids[0].id]);
    expect((await carol.request('GET', '/orders?status=sideways')).status).toBe(400);
    const page = await carol.request('GET', '/orders?status=all&limit=2');
    expect(page.headers).toMatchObject({ 'cb-before': bids[2].id, 'cb-after': bids[1].id });
    expect((await carol.expectOk('GET', `/orders?status=all&after=${page.headers['cb-after']}`)).map((o: { id: string }) => o.id)).toEqual([bids[0].id]);
    expect((await carol.expectOk('GET', `/orders?status=all&before=${bids[0].id}&limit=1`)).map((o: { id: string }) => o.id)).toEqual([bids[1].id]);

    // Holds: 11 + 12 USDT and the worst-case fee (0.2 %) with one micro-USDT of rounding each.
    const holds = await carol.expectOk('GET', '/accounts/USDT/holds');
    expect(holds.map((h: { ref: string; amount: string }) => [h.ref, h.amount])).toEqual([[bids[2].id, '12.024001'], [bids[1].id, '11.022001']]);
    expect((await carol.balances()).USDT).toMatchObject({ hold: '23.046002', available: '976.953998' });

    const withdrawal = await carol.expectOk('POST', '/withdrawals/crypto', { currency: 'USDT', amount: '100.5', crypto_address: '0xc0ffee' });
    expect(withdrawal).toMatchObject({ amount: '100.500000', currency: 'USDT', fee: '0.000000', subtotal: '100.500000' });
    const refused = await carol.request('POST', '/withdrawals/crypto', { currency: 'USDT', amount: 10_000, crypto_address: '0xc0ffee' });
    expect(refused).toMatchObject({ status: 400, body: { message: 'Insufficient funds', code: 'EXCHANGE.INSUFFICIENT_FUNDS' } });
    expect((await carol.request('POST', '/withdrawals/crypto', { currency: 'USDT', amount: '0.0000001', crypto_address: '0xc0ffee' })).status).toBe(400);
    expect((await carol.balances()).USDT).toMatchObject({ balance: '899.500000', available: '876.453998' });

    const transfers = await carol.expectOk('GET', '/transfers');
    expect(transfers.map((t: { type: string; amount: string }) => [t.type, t.amount])).toEqual([['withdraw', '100.500000'], ['deposit', '1000.000000']]);
    expect(transfers[0]).toMatchObject({ id: withdrawal.id, account_id: 'USDT', details: { crypto_address: '0xc0ffee' }, completed_at: expect.any(String) });
    expect((await carol.expectOk('GET', '/transfers?type=deposit')).map((t: { type: string }) => t.type)).toEqual(['deposit']);
    expect(await carol.expectOk('GET', '/accounts/BTC/transfers')).toEqual([]);

    const ledger = await carol.request('GET', '/accounts/USDT/ledger');
    expect(ledger.body.map((e: { type: string; amount: string; balance: string }) => [e.type, e.amount, e.balance])).toEqual([
      ['transfer', '-100.500000', '899.500000'],
      ['transfer', '1000.000000', '1000.000000'],
    ]);
    expect(ledger.headers).toMatchObject({ 'cb-before': ledger.body[0].id, 'cb-after': ledger.body[1].id });
    expect((await carol.request('GET', '/accounts/DOGE/ledger')).status).toBe(404);

    // A trade: both sides' match and fee entries, exact.
    await alice.expectOk('POST', '/orders', { product_id: 'BTC-USDT', side: 'sell', type: 'market', size: '0.5' });
    const entries = await carol.expectOk('GET', '/accounts/USDT/ledger?limit=2');
    expect(entries.map((e: { type: string; amount: string }) => [e.type, e.amount])).toEqual([['fee', '-0.006000'], ['match', '-6.000000']]);
    expect(entries[0].details).toMatchObject({ order_id: bids[2].id, product_id: 'BTC-USDT' });
    expect((await carol.expectOk('GET', '/accounts/BTC/ledger'))[0]).toMatchObject({ type: 'match', amount: '0.50000000', balance: '0.50000000' });
    const fills = await carol.request('GET', '/fills');
    expect(fills.headers['cb-before']).toBe(fills.body[0].trade_id);
    const trades = await carol.request('GET', '/products/BTC-USDT/trades?limit=1');
    expect(trades.headers).toMatchObject({ 'cb-before': trades.body[0].trade_id, 'cb-after': trades.body[0].trade_id });
    expect(await carol.expectOk('GET', '/products/BTC-USDT/stats')).toMatchObject({ volume_30day: expect.any(String) });
  });

  it('comes back after a restart with every acknowledged order and balance', async () => {
    await alice.expectOk('POST', '/faucet', { currency: 'ETH', amount: '3' });
    const resting = await alice.expectOk('POST', '/orders', { product_id: 'ETH-BTC', side: 'sell', type: 'limit', price: '0.05', size: '1', client_oid: 'kept' });
    const balances = await alice.balances();
    const book = await alice.expectOk('GET', '/products/BTC-USDT/book?level=3');
    await exchange.close();

    exchange = await startExchange(config);
    const again = new ApiClient(exchange.url, contract);
    again.token = alice.token;
    expect(await again.balances()).toEqual(balances);
    expect(await again.expectOk('GET', `/orders/${resting.id}`)).toMatchObject({ client_oid: 'kept', status: 'open' });
    expect((await again.expectOk('GET', '/products/BTC-USDT/book?level=3')).asks).toEqual(book.asks);
  });

  it('answered every request as the OpenAPI document it serves says, and a renamed field would not pass', async () => {
    const document = await ContractRecorder.documentOf(exchange.url);
    expect(contract.count).toBeGreaterThan(40);
    expect(contract.mismatches(document)).toEqual([]);
    const renamed = JSON.parse(JSON.stringify(document).replaceAll('"filled_size"', '"filledSize"'));
    expect(contract.mismatches(renamed).some((why) => why.includes('filledSize'))).toBe(true);
  });
});
