/* eslint-disable @typescript-eslint/no-explicit-any -- answers are arbitrary JSON that the tests assert field by field */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coinbaseSignature } from '@sd/auth/coinbase-signature';
import { exchangeConfigFromEnv } from './config';
import { startExchange, type RunningExchange } from './server';
import { ApiClient, type FeedSocket } from './testing/api-client';

jest.setTimeout(30_000);

/** Orders per second per user: low enough for the rate-limit case to reach, high enough for the others. */
const ORDER_LIMIT = 20;

/**
 * Order entry on `/ws` against REST on the same exchange: the same order JSON, the same
 * refusals (code, message and status), the same permission and per-user limit, each answer
 * with its request id.
 */
describe('order entry over /ws, as REST answers it', () => {
  let dataDir: string;
  let exchange: RunningExchange;
  let alice: ApiClient;
  let feed: FeedSocket;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sd-exchange-ws-orders-'));
    exchange = await startExchange(exchangeConfigFromEnv({ DATA_DIR: dataDir, DEMO_MARKET: 'off', PORT: '0', LOG_LEVEL: 'silent', ORDERS_PER_SECOND_PER_USER: String(ORDER_LIMIT) }));
    alice = new ApiClient(exchange.url);
    await alice.signUp('alice-ws-orders@example.com');
    await alice.expectOk('POST', '/faucet', { currency: 'BTC', amount: '2' });
    await alice.expectOk('POST', '/faucet', { currency: 'USDT', amount: '1000' });
    feed = await alice.socket();
  });

  afterAll(async () => {
    feed?.close();
    await exchange?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  let nextId = 0;
  /** Sends a request with a fresh request id (the token signs the connection in) and answers its answer. */
  async function ask(socket: FeedSocket, message: Record<string, unknown>, token: string | null = alice.token): Promise<Record<string, any>> {
    const request_id = `r${++nextId}`;
    socket.send({ ...message, request_id, ...(token === null ? {} : { token }) });
    return socket.next((m) => m.request_id === request_id);
  }

  /** What REST answers a refusal with, as the WebSocket's error carries it. */
  const restRefusal = (answer: { status: number; body: { code: string; message: string } }) => ({ type: 'error', status: answer.status, code: answer.body.code, message: answer.body.message });

  it('places an order and answers the JSON REST answers for it', async () => {
    const placed = await ask(feed, { type: 'place_order', order: { product_id: 'BTC-USDT', side: 'sell', price: '30000.10', size: '0.5', client_oid: 'ws-1' } });
    expect(placed).toMatchObject({ type: 'order_response', request_id: `r${nextId}` });
    expect(placed.order).toMatchObject({ status: 'open', side: 'sell', type: 'limit', price: '30000.100000', size: '0.50000000', client_oid: 'ws-1', filled_size: '0.00000000' });
    // REST shows the same order, field for field, in the same form.
    expect(await alice.expectOk('GET', `/orders/${placed.order.id}`)).toEqual(placed.order);
    const rest = await alice.expectOk('POST', '/orders', { product_id: 'BTC-USDT', side: 'sell', price: '30000.20', size: '0.5' });
    expect(Object.keys(placed.order).sort()).toEqual(Object.keys(rest).sort());
    // The balance moved as REST's order moved it: both holds are on the book.
    expect((await alice.balances()).BTC).toMatchObject({ available: '1.00000000', hold: '1.00000000' });
  });

  it('cancels by id, by client id and all, answering the ids REST answers', async () => {
    const byId = await ask(feed, { type: 'place_order', order: { product_id: 'BTC-USDT', side: 'buy', price: '100', size: '0.01' } });
    expect(await ask(feed, { type: 'cancel_order', order_id: byId.order.id })).toEqual({ type: 'cancel_order_response', request_id: `r${nextId}`, order_id: byId.order.id });
    const byClientOid = await ask(feed, { type: 'place_order', order: { product_id: 'BTC-USDT', side: 'buy', price: '100', size: '0.01', client_oid: 'ws-2' } });
    expect(await ask(feed, { type: 'cancel_order', order_id: 'client:ws-2' })).toMatchObject({ type: 'cancel_order_response', order_id: byClientOid.order.id });
    // Canceling again: REST's refusal, word for word.
    expect(await ask(feed, { type: 'cancel_order', order_id: byId.order.id })).toEqual({ ...restRefusal(await alice.request('DELETE', `/orders/${byId.order.id}`)), request_id: `r${nextId}` });

    const open = await alice.expectOk<Array<{ id: string }>>('GET', '/orders');
    const all = await ask(feed, { type: 'cancel_all', product_id: 'BTC-USDT' });
    expect(all.type).toBe('cancel_all_response');
    expect([...all.order_ids].sort()).toEqual(open.map((order) => order.id).sort());
    expect(await alice.expectOk('GET', '/orders')).toEqual([]);
    expect(await ask(feed, { type: 'cancel_all' })).toMatchObject({ type: 'cancel_all_response', order_ids: [] });
  });

  it.each([
    ['insufficient funds', { product_id: 'BTC-USDT', side: 'buy', price: '30000', size: '1' }],
    ['a size off the increment', { product_id: 'BTC-USDT', side: 'sell', price: '30000', size: '0.00001' }],
    ['a size under the minimum', { product_id: 'BTC-USDT', side: 'sell', price: '30000', size: '0' }],
    ['a price that is not a decimal', { product_id: 'BTC-USDT', side: 'sell', price: '3e4', size: '0.01' }],
    ['an unknown product', { product_id: 'DOGE-USDT', side: 'sell', price: '1', size: '1' }],
    ['a missing side', { product_id: 'BTC-USDT', price: '1', size: '1' }],
  ])('refuses %s as REST does, and changes nothing', async (_case, order) => {
    const before = await alice.balances();
    const answer = await ask(feed, { type: 'place_order', order });
    expect(answer).toEqual({ ...restRefusal(await alice.request('POST', '/orders', order)), request_id: `r${nextId}` });
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(await alice.balances()).toEqual(before);
  });

  it('refuses a malformed request with its id, or null when the id is what is wrong', async () => {
    const before = await alice.balances();
    feed.send({ type: 'place_order', order: { product_id: 'BTC-USDT', side: 'sell', price: '30000', size: '0.01' }, token: alice.token });
    expect(await feed.next((m) => m.type === 'error' && m.request_id === null)).toMatchObject({ status: 400, code: 'VALIDATION.INVALID_INPUT', message: 'request_id is required' });
    expect(await ask(feed, { type: 'place_order' })).toMatchObject({ type: 'error', status: 400, code: 'VALIDATION.INVALID_INPUT', message: 'order is required' });
    expect(await ask(feed, { type: 'place_order', order: {}, stray: 1 })).toMatchObject({ type: 'error', code: 'VALIDATION.INVALID_INPUT', message: 'the body must NOT have additional properties' });
    expect(await ask(feed, { type: 'cancel_order', order_id: 42 })).toMatchObject({ type: 'error', code: 'VALIDATION.INVALID_INPUT', message: 'order_id must be string' });
    expect(await ask(feed, { type: 'cancel_orders' })).toMatchObject({ type: 'error', code: 'WS.UNKNOWN_TYPE', request_id: `r${nextId}` });
    expect(await alice.balances()).toEqual(before);
  });

  /** A signed-up user with funds of their own, and a bucket of their own under the order limit. */
  async function trader(email: string): Promise<ApiClient> {
    const client = new ApiClient(exchange.url);
    await client.signUp(email);
    await client.expectOk('POST', '/faucet', { currency: 'USDT', amount: '1000' });
    return client;
  }

  it('echoes every request id of many outstanding requests, text or integer', async () => {
    const bob = await trader('bob-ws-orders@example.com');
    const socket = await bob.socket();
    const ids = Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? i : `text-${i}`));
    for (const request_id of ids) socket.send({ type: 'place_order', request_id, token: bob.token, order: { product_id: 'BTC-USDT', side: 'buy', price: '1000', size: '0.01' } });
    const answers = await Promise.all(ids.map((id) => socket.next((m) => m.request_id === id)));
    expect(answers.map((answer) => answer.type)).toEqual(ids.map(() => 'order_response'));
    expect(new Set(answers.map((answer) => answer.order.id)).size).toBe(ids.length);
    expect(await ask(socket, { type: 'cancel_all' }, bob.token)).toMatchObject({ order_ids: expect.arrayContaining(answers.map((answer) => answer.order.id)) });
    socket.close();
  });

  it('refuses a connection that is not signed in, as REST refuses a request without credentials', async () => {
    const stranger = await new ApiClient(exchange.url).socket();
    const order = { product_id: 'BTC-USDT', side: 'sell', price: '30000', size: '0.01' };
    const answer = await ask(stranger, { type: 'place_order', order }, null);
    expect(answer).toEqual({ ...restRefusal(await new ApiClient(exchange.url).request('POST', '/orders', order)), request_id: `r${nextId}` });
    expect(answer).toMatchObject({ status: 401, code: 'AUTH.UNAUTHENTICATED' });
    expect(await ask(stranger, { type: 'cancel_all' }, 'not-a-token')).toMatchObject({ status: 401, code: 'AUTH.INVALID_TOKEN' });
    stranger.close();
  });

  it('refuses an API key without the trade permission, signed as REST signs it', async () => {
    const key = await alice.expectOk<{ key: string; secret: string; passphrase: string }>('POST', '/users/apiKeys', { permissions: ['view'] });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signed = { key: key.key, passphrase: key.passphrase, timestamp, signature: coinbaseSignature(key.secret, { timestamp, method: 'GET', requestPath: '/users/self/verify', body: '' }) };
    const socket = await new ApiClient(exchange.url).socket();
    const order = { product_id: 'BTC-USDT', side: 'sell', price: '30000', size: '0.01' };
    const answer = await ask(socket, { type: 'place_order', order, ...signed }, null);
    const body = JSON.stringify(order);
    const rest = await fetch(`${exchange.url}/api/orders`, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'cb-access-key': key.key,
        'cb-access-passphrase': key.passphrase,
        'cb-access-timestamp': timestamp,
        'cb-access-sign': coinbaseSignature(key.secret, { timestamp, method: 'POST', requestPath: '/api/orders', body }),
      },
    });
    expect(answer).toEqual({ ...restRefusal({ status: rest.status, body: (await rest.json()) as { code: string; message: string } }), request_id: `r${nextId}` });
    expect(answer).toMatchObject({ status: 403, code: 'AUTH.PERMISSION_DENIED' });
    // Signed in with the key, the connection may still read its private channels.
    socket.send({ type: 'subscribe', channels: ['funds'] });
    expect(await socket.next((m) => m.type === 'subscriptions')).toMatchObject({ channels: [{ name: 'funds' }] });
    socket.close();
  });

  it("counts against the same per-user order limit as REST's order routes", async () => {
    const carol = await trader('carol-ws-orders@example.com');
    const socket = await carol.socket();
    const started = Date.now();
    // Five times the limit at once: even a loaded machine answering them over a few seconds refuses some.
    const ids = Array.from({ length: ORDER_LIMIT * 5 }, (_, i) => `limit-${i}`);
    for (const request_id of ids) socket.send({ type: 'cancel_all', request_id, token: carol.token });
    const rest = await Promise.all(Array.from({ length: ORDER_LIMIT }, () => carol.request('DELETE', '/orders')));
    const answers = await Promise.all(ids.map((id) => socket.next((m) => m.request_id === id)));
    const elapsedMs = Date.now() - started;
    const limited = answers.filter((answer) => answer.type === 'error');
    expect(limited[0]).toMatchObject({ status: 429, code: 'RATE_LIMIT.EXCEEDED', retry_after: expect.any(Number) });
    const restLimited = rest.find((answer) => answer.status === 429);
    expect(limited[0]).toMatchObject({ code: restLimited?.body.code, message: restLimited?.body.message });
    // One bucket for both: what they let through together is one user's limit (and what refilled meanwhile), not twice it.
    const allowed = answers.length - limited.length + rest.filter((answer) => answer.status === 200).length;
    expect(allowed).toBeLessThanOrEqual(ORDER_LIMIT + Math.ceil((elapsedMs * ORDER_LIMIT) / 1000));
    socket.close();
  });
});
