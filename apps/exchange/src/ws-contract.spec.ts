import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import Big from 'big.js';
import addFormats from 'ajv-formats';
import { exchangeConfigFromEnv } from './config';
import { startExchange, type RunningExchange } from './server';
import { ApiClient, type FeedSocket } from './testing/api-client';
import { expectEventually } from './testing/eventually';

jest.setTimeout(30_000);

/**
 * What push sends, checked against the AsyncAPI document the exchange serves: every message
 * of every channel a trading session produces validates against its message's schema, and
 * each kind of message is seen. The schemas are closed, so a renamed field fails.
 */
describe('the /ws feed against GET /api/asyncapi.json', () => {
  let dataDir: string;
  let exchange: RunningExchange;
  let validators: Map<string, ValidateFunction>;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sd-exchange-ws-'));
    exchange = await startExchange(exchangeConfigFromEnv({ DATA_DIR: dataDir, DEMO_MARKET: 'off', PORT: '0', LOG_LEVEL: 'silent' }));
    const document = await new ApiClient(exchange.url).expectOk<{ asyncapi: string; components: { messages: Record<string, { payload: object }> } }>('GET', '/asyncapi.json');
    expect(document.asyncapi).toBe('3.0.0');
    const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
    validators = new Map(Object.entries(document.components.messages).map(([name, message]) => [name, ajv.compile(message.payload)]));
  });

  afterAll(async () => {
    await exchange?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Each message's problems against the schema its `type` names. */
  const mismatches = (messages: readonly Record<string, unknown>[]): string[] =>
    messages.flatMap((message) => {
      const type = String(message.type);
      const validate = validators.get(type);
      if (validate === undefined) return [`no message named ${type} in the document`];
      if (validate(message)) return [];
      return [`${type}: ${validate.errors!.map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`).join('; ')}`];
    });

  it('sends only messages the document describes, on every channel', async () => {
    const alice = new ApiClient(exchange.url);
    const bob = new ApiClient(exchange.url);
    await alice.signUp('alice-ws@example.com');
    await bob.signUp('bob-ws@example.com');
    const market = await alice.socket();
    const batched = await bob.socket();
    const own = await alice.socket();
    market.send({ type: 'subscribe', product_ids: ['BTC-USDT'], channels: ['heartbeat', 'ticker', 'level2', 'matches', 'full', 'candles'] });
    batched.send({ type: 'subscribe', product_ids: ['BTC-USDT'], channels: ['level2_batch', { name: 'user', product_ids: ['BTC-USDT'] }, 'funds'], token: bob.token });
    own.send({ type: 'subscribe', product_ids: ['BTC-USDT'], channels: ['user', 'funds'], token: alice.token });
    own.send({ type: 'subscribe', product_ids: ['BTC-USDT'], channels: ['nope'] });
    for (const feed of [market, batched, own]) await feed.next((m) => m.type === 'subscriptions');

    await alice.expectOk('POST', '/faucet', { currency: 'BTC', amount: '2' });
    await bob.expectOk('POST', '/faucet', { currency: 'USDT', amount: '100000' });
    const ask = await alice.expectOk('POST', '/orders', { product_id: 'BTC-USDT', side: 'sell', type: 'limit', price: '30000.10', size: '0.5' });
    await bob.expectOk('POST', '/orders', { product_id: 'BTC-USDT', side: 'buy', type: 'limit', price: '30001', size: '0.2' });
    await bob.expectOk('POST', '/orders', { product_id: 'BTC-USDT', side: 'buy', type: 'market', funds: '100' });
    // Self-trade prevention (decrement and cancel): alice's own bid shrinks her resting ask.
    await alice.expectOk('POST', '/orders', { product_id: 'BTC-USDT', side: 'buy', type: 'limit', price: '30000.10', size: '0.1' });
    await alice.expectOk('DELETE', `/orders/${ask.id}`);

    await market.next((m) => m.type === 'candles');
    await market.next((m) => m.type === 'heartbeat', 3000);
    await batched.next((m) => m.type === 'l2update');
    await expectEventually(async () => own.messages.some((m) => m.type === 'change') && own.messages.some((m) => m.type === 'done'), 5000);
    const seen = (feed: FeedSocket) => new Set(feed.messages.map((m) => m.type as string));
    expect([...seen(market)].sort()).toEqual(['candles', 'change', 'done', 'heartbeat', 'l2update', 'match', 'open', 'received', 'snapshot', 'subscriptions', 'ticker'].sort());
    // Bob's orders all fill at once: nothing of his rests.
    expect([...seen(batched)].sort()).toEqual(['done', 'funds', 'l2update', 'match', 'received', 'snapshot', 'subscriptions'].sort());
    expect([...seen(own)]).toEqual(expect.arrayContaining(['error', 'funds', 'received', 'open', 'match', 'change', 'done']));
    const all = [...market.messages, ...batched.messages, ...own.messages];
    expect(mismatches(all)).toEqual([]);
    // The ticker's rolling figures include its own trade, exact: this product traded nothing before.
    // Each trade comes twice here: on matches and on full.
    const trades = [...new Map(market.messages.filter((m) => m.type === 'match').map((m) => [m.trade_id, m])).values()];
    const tickers = market.messages.filter((m) => m.type === 'ticker');
    expect(tickers).toHaveLength(trades.length);
    const volume = trades.reduce((sum, m) => sum.plus(m.size), new Big(0));
    expect(tickers.at(-1)).toMatchObject({ open_24h: trades[0].price, high_24h: '30000.100000', low_24h: '30000.100000', best_ask: '30000.100000' });
    expect(new Big(tickers.at(-1).volume_24h).eq(volume) && new Big(tickers.at(-1).volume_30d).eq(volume)).toBe(true);
    for (const feed of [market, batched, own]) feed.close();
  });

  it('answers order requests, and refuses bad ones, as the document says', async () => {
    const carol = new ApiClient(exchange.url);
    await carol.signUp('carol-ws@example.com');
    await carol.expectOk('POST', '/faucet', { currency: 'USDT', amount: '1000' });
    const socket = await carol.socket();
    const requests: Array<Record<string, unknown>> = [
      { type: 'place_order', request_id: 1, token: carol.token, order: { product_id: 'BTC-USDT', side: 'buy', price: '100', size: '0.01', client_oid: 'c-1' } },
      { type: 'place_order', request_id: 'market', order: { product_id: 'BTC-USDT', side: 'buy', type: 'market', funds: '10' } },
      { type: 'cancel_order', request_id: 'by-client-id', order_id: 'client:c-1' },
      { type: 'cancel_order', request_id: 'again', order_id: 'client:c-1' },
      { type: 'place_order', request_id: 'poor', order: { product_id: 'BTC-USDT', side: 'buy', price: '100', size: '100' } },
      { type: 'cancel_all', request_id: 'all', product_id: 'BTC-USDT' },
      { type: 'place_order', order: {} },
    ];
    for (const request of requests) socket.send(request);
    await socket.next((m) => m.request_id === 'all');
    await socket.next((m) => m.type === 'error' && m.request_id === null);
    expect([...new Set(socket.messages.map((m) => m.type))].sort()).toEqual(['cancel_all_response', 'cancel_order_response', 'error', 'order_response']);
    expect(socket.messages).toHaveLength(requests.length);
    expect(mismatches(socket.messages)).toEqual([]);
    socket.close();
  });

  it('fails a message whose field was renamed or whose shape changed', () => {
    const ticker = { type: 'ticker', product_id: 'BTC-USDT', sequence: 5, trade_id: '1', price: '1.00', open_24h: '1.00', volume_24h: '1', low_24h: '1', high_24h: '1', volume_30d: '1', best_bid: null, best_bid_size: null, best_ask: '2', best_ask_size: '1', side: 'buy', last_size: '1', time: '2026-01-01T00:00:00.000Z' };
    expect(mismatches([ticker])).toEqual([]);
    const { volume_24h, ...rest } = ticker;
    expect(mismatches([{ ...rest, volume24h: volume_24h }])).toEqual([expect.stringMatching(/^ticker: .*volume_24h.*volume24h/)]);
    expect(mismatches([{ ...ticker, price: 1 }])).toEqual([expect.stringMatching(/^ticker: \/price must be string/)]);
  });
});
