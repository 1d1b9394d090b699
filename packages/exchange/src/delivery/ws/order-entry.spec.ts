/* eslint-disable @typescript-eslint/no-explicit-any -- answers are arbitrary JSON that the tests assert field by field */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { principalCheck } from '@sd/auth/authorize';
import type { Principal } from '@sd/domain/auth/principal';
import { authErrors } from '@sd/domain/auth/errors';
import type { SequencedCommand } from '@sd/domain/exchange/command';
import { createLogger } from '@sd/logging/logger';
import { MemoryRateLimiter } from '@sd/ratelimit/memory/memory-rate-limiter';
import { rateLimitCheck } from '@sd/ratelimit/rate-limit.middleware';
import { MemoryJournal } from '../../repository/journal/memory-journal';
import { MemorySnapshotStore } from '../../repository/snapshot/memory-snapshot-store';
import { DEFAULT_CURRENCIES, DEFAULT_PRODUCTS } from '../../usecase/core/catalog/default-products';
import { ProductCatalog } from '../../usecase/core/catalog/product-catalog';
import { EventFormatter } from '../../usecase/core/money/event-format';
import { OrderViews } from '../../usecase/core/order-view';
import { EngineHost } from '../../usecase/write/engine-host';
import { ExchangeGateway } from '../../usecase/write/exchange-gateway';
import { FundsUseCase } from '../../usecase/write/funds.usecase';
import { RequestParser } from '../../usecase/write/request-parser';
import { TradingUseCase } from '../../usecase/write/trading.usecase';
import { CoinbasePush } from './coinbase-push';
import { OrderEntry } from './order-entry';
import { PushServer } from './push-server';

/** A memory journal whose appends can be held back, or fail: what the answers wait on. */
class GatedJournal extends MemoryJournal {
  readonly appended: SequencedCommand[][] = [];
  gate: Promise<void> | null = null;
  failure: Error | null = null;

  override async append(commands: readonly SequencedCommand[]): Promise<void> {
    await this.gate;
    if (this.failure !== null) throw this.failure;
    await super.append(commands);
    this.appended.push([...commands]);
  }

  hold(): () => void {
    let release!: () => void;
    this.gate = new Promise((resolve) => (release = resolve));
    return () => {
      this.gate = null;
      release();
    };
  }
}

const TRADER: Principal = { method: 'session', userId: 'alice', sessionId: 's1', permissions: ['view', 'trade'] };

/**
 * The WebSocket's order entry over a real engine host and push server on loopback, with a
 * journal the test controls: an answer never leaves before its command is durable.
 */
describe('OrderEntry on the push server', () => {
  let journal: GatedJournal;
  let host: EngineHost;
  let wss: WebSocketServer;
  let push: PushServer;
  let url: string;
  const sockets: WebSocket[] = [];

  beforeEach(async () => {
    const catalog = new ProductCatalog(DEFAULT_CURRENCIES, DEFAULT_PRODUCTS);
    const logger = createLogger({ name: 'test', level: 'silent' });
    journal = new GatedJournal();
    host = await EngineHost.start({ catalog, journal, snapshots: new MemorySnapshotStore(), output: { publish: async () => undefined }, logger });
    const gateway = new ExchangeGateway(new RequestParser(catalog), host);
    const acknowledgements = { acknowledged: async () => undefined };
    await new FundsUseCase(gateway, catalog, acknowledgements).deposit('alice', 'USDT', '1000');
    wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(wss, 'listening');
    url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
    const formatter = new EventFormatter(catalog);
    const stats = { stats24h: async () => ({ open: '0', high: '0', low: '0', volume: '0' }), volume30d: async () => '0' };
    push = new PushServer({
      wss,
      reader: host,
      formatter,
      dialect: new CoinbasePush({ catalog, reader: host, formatter, stats, logger }),
      logger,
      authenticate: async (message) =>
        (message as { token?: string }).token === 'alice' ? { ok: true, principal: TRADER } : { ok: false, error: authErrors.unauthenticated() },
    });
    const limit = rateLimitCheck(new MemoryRateLimiter(), { name: 'orders', rule: { limit: 1000, windowMs: 1000 } });
    push.serve(new OrderEntry({ trading: new TradingUseCase(gateway, new OrderViews(catalog), acknowledgements), authorize: principalCheck({ permission: 'trade', limit }), logger }));
  });

  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.terminate();
    push.close();
    wss.close();
    await host.close().catch(() => undefined);
  });

  async function connect(): Promise<{ socket: WebSocket; messages: Array<Record<string, any>> }> {
    const socket = new WebSocket(url);
    sockets.push(socket);
    const messages: Array<Record<string, any>> = [];
    socket.on('message', (data) => messages.push(JSON.parse(String(data))));
    await once(socket, 'open');
    return { socket, messages };
  }

  const placeOrder = (request_id: number, price = '100') =>
    JSON.stringify({ type: 'place_order', request_id, token: 'alice', order: { product_id: 'BTC-USDT', side: 'buy', price, size: '0.01' } });

  async function until<T>(read: () => T | undefined, timeoutMs = 5000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = read();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  it('answers a placed order only once the journal holds it', async () => {
    const { socket, messages } = await connect();
    const release = journal.hold();
    socket.send(placeOrder(1));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(messages).toEqual([]);
    expect(host.engine.openOrders('alice')).toEqual([]);
    const durableBefore = journal.appended.length;
    release();
    const answer = await until(() => messages[0]);
    expect(answer).toMatchObject({ type: 'order_response', request_id: 1, order: { status: 'open', price: '100.000000' } });
    const journaled = journal.appended.slice(durableBefore).flat();
    expect(journaled.map((entry) => entry.command)).toEqual([expect.objectContaining({ type: 'place', userId: 'alice' })]);
    expect(host.engine.openOrders('alice').map((order) => String(order.orderId))).toEqual([answer.order.id]);
  });

  it('answers an error, never an acknowledgement, while the journal fails, and takes orders again once it writes', async () => {
    const { socket, messages } = await connect();
    journal.failure = new Error('disk full');
    socket.send(placeOrder(7));
    expect(await until(() => messages[0])).toEqual({
      type: 'error',
      request_id: 7,
      status: 503,
      code: 'EXCHANGE.JOURNAL_UNAVAILABLE',
      message: expect.stringContaining('nothing was applied'),
      retry_after: 1,
    });
    // The outage lasts a second at least: a request meanwhile is refused too, and nothing was applied.
    socket.send(placeOrder(8));
    expect(await until(() => messages[1])).toMatchObject({ type: 'error', request_id: 8, status: 503, code: 'EXCHANGE.JOURNAL_UNAVAILABLE' });
    expect(messages.some((message) => message.type === 'order_response')).toBe(false);
    expect(host.engine.openOrders('alice')).toEqual([]);
    journal.failure = null;
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    socket.send(placeOrder(9));
    expect(await until(() => messages[2])).toMatchObject({ type: 'order_response', request_id: 9 });
    expect(host.engine.openOrders('alice')).toHaveLength(1);
  });

  it('puts the orders that arrive together into one group commit, and answers each', async () => {
    const [first, second] = [await connect(), await connect()];
    const release = journal.hold();
    const count = 40;
    for (let id = 1; id <= count; id++) (id % 2 === 0 ? first : second).socket.send(placeOrder(id, String(100 + id)));
    // Every request has reached the sequencer while the first append is held; they then commit in at most two batches.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const durableBefore = journal.appended.length;
    release();
    await until(() => (first.messages.length + second.messages.length === count ? true : undefined));
    expect(journal.appended.length - durableBefore).toBeLessThanOrEqual(2);
    const answered = [...first.messages, ...second.messages];
    expect(answered.every((message) => message.type === 'order_response')).toBe(true);
    expect(first.messages.map((message) => message.request_id).sort((a, b) => a - b)).toEqual(Array.from({ length: count / 2 }, (_, i) => 2 * (i + 1)));
    expect(new Set(answered.map((message) => message.order.id)).size).toBe(count);
  });

  it('refuses a request without a signed-in connection, and a request to an unknown type, with their ids', async () => {
    const { socket, messages } = await connect();
    socket.send(JSON.stringify({ type: 'cancel_all', request_id: 'a' }));
    socket.send(JSON.stringify({ type: 'amend_order', request_id: 'b' }));
    await until(() => (messages.length === 2 ? true : undefined));
    expect(messages).toContainEqual({ type: 'error', request_id: 'a', status: 401, code: 'AUTH.UNAUTHENTICATED', message: 'authentication required' });
    expect(messages).toContainEqual(expect.objectContaining({ type: 'error', request_id: 'b', code: 'WS.UNKNOWN_TYPE' }));
    expect(journal.appended.flat().filter((entry) => entry.command.type !== 'deposit')).toEqual([]);
  });
});
