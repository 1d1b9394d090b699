/* eslint-disable @typescript-eslint/no-explicit-any -- feed messages are the API's JSON */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isolatedPostgresSchema } from '@sd/orm/testing/postgres-schema';
import { serviceUrl } from '@sd/testing/services';
import { ApiClient, type FeedSocket } from './testing/api-client';
import { distributedEnv } from './testing/distributed-env';
import { ExchangeProcess } from './testing/exchange-process';

jest.setTimeout(300_000);

const ROUNDS = Number(process.env.RESTART_PUSH_ROUNDS ?? 4);
/** Every event of the private and public feeds that a command causes. */
const EVENT_TYPES = new Set(['match', 'received', 'open', 'done', 'change', 'funds', 'l2update', 'ticker', 'candles']);
const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** Crossing limit orders from a maker and a taker until stopped (or the API is gone): every pair trades. */
async function trade(traders: readonly ApiClient[], stop: { now: boolean }): Promise<void> {
  const [maker, taker] = traders as [ApiClient, ApiClient];
  const loop = async (client: ApiClient, side: string): Promise<void> => {
    while (!stop.now) {
      const sent = await client.request('POST', '/orders', { product_id: 'BTC-USDT', side, type: 'limit', price: '30000', size: '0.001' }).catch(() => null);
      if (sent === null) return; // killed
    }
  };
  await Promise.all([0, 1, 2, 3].map((i) => loop(i % 2 === 0 ? maker : taker, i % 2 === 0 ? 'sell' : 'buy')));
}

async function subscribeAll(client: ApiClient): Promise<FeedSocket> {
  const feed = await client.socket();
  feed.send({ type: 'subscribe', product_ids: ['BTC-USDT'], channels: ['level2', 'matches', 'ticker', 'candles', 'user', 'funds'], token: client.token });
  await feed.next((message) => message.type === 'subscriptions');
  return feed;
}

/** Feed events a command caused, described for a failure message. */
const eventsIn = (feed: FeedSocket): any[] => feed.messages.filter((message: any) => EVENT_TYPES.has(message.type));

/**
 * Issue 19: after a SIGKILL under load and a restart on the same data dir, the engine
 * republishes what the history database had not stored (the read side lags under load) so
 * the read side catches up. A client that connects and subscribes as soon as the restarted exchange answers
 * (while that replay is still being projected) must receive no event at all until a new
 * command is applied: nothing twice, nothing older than the snapshot it was given.
 */
describe('embedded exchange: WebSocket clients after a SIGKILL and a restart', () => {
  let dataDir: string;
  let env: Record<string, string>;
  let exchange: ExchangeProcess;
  let traders: ApiClient[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sd-restart-push-'));
    env = { DATA_DIR: dataDir, ORDERS_PER_SECOND_PER_USER: '1000000' };
    exchange = await ExchangeProcess.start(env);
    for (const name of ['maker', 'taker']) {
      const client = new ApiClient(exchange.url);
      await client.signUp(`${name}@example.com`);
      await client.expectOk('POST', '/faucet', { currency: 'BTC', amount: '1000' });
      await client.expectOk('POST', '/faucet', { currency: 'USDT', amount: '1000000' });
      traders.push(client);
    }
  });

  afterAll(async () => {
    await exchange?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(`sends a client subscribed during the start-up replay nothing until a new command (${ROUNDS} kills)`, async () => {
    const stale: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Under 5 s of trading, so the history database has saved little of it when the kill comes.
      const stop = { now: false };
      const trading = trade(traders, stop);
      await sleep(2500);
      await exchange.kill();
      stop.now = true;
      await trading;

      exchange = await ExchangeProcess.start(env);
      traders = traders.map((old) => Object.assign(new ApiClient(exchange.url), { token: old.token }));
      const feeds = await Promise.all(traders.map((client) => subscribeAll(client)));
      await sleep(3000);
      for (const [i, feed] of feeds.entries()) {
        const events = eventsIn(feed);
        if (events.length > 0) stale.push(`round ${round}, trader ${i}: ${events.length} events with no new command, first ${JSON.stringify(events[0])}`);
        feed.close();
      }
    }
    expect(stale).toEqual([]);

    // The feeds still work: a new trade reaches a fresh subscriber once, with its sequence.
    const feed = await subscribeAll(traders[0]!);
    await traders[0]!.expectOk('POST', '/orders', { product_id: 'BTC-USDT', side: 'sell', type: 'limit', price: '30000', size: '0.001' });
    await traders[1]!.expectOk('POST', '/orders', { product_id: 'BTC-USDT', side: 'buy', type: 'limit', price: '30000', size: '0.001' });
    const match = await feed.next((message) => message.type === 'match' && message.user_id === undefined);
    await sleep(500);
    // Once on the public matches channel, once on the maker's own user channel.
    const copies = feed.messages.filter((message: any) => message.type === 'match' && message.trade_id === match.trade_id);
    expect(copies.map((message: any) => message.user_id ?? 'public')).toEqual(['public', expect.any(String)]);
    expect(typeof match.sequence).toBe('number');
    feed.close();
  });
});

/**
 * Issue 19 in distributed mode: two engine processes (leader and hot standby) and an API
 * replica, all on Kafka and PostgreSQL. Under a stream of trades the leader is SIGKILLed (the
 * standby takes over and republishes what the history had not stored), then the API replica
 * is SIGKILLed and restarted (it rebuilds its engine state from the log). A client that was
 * connected through the failover gets no trade twice, and one that subscribes to the restarted
 * replica as soon as it answers gets no event until a new command.
 */
describe('distributed exchange: WebSocket clients through a leader failover and an API restart', () => {
  const dirs: string[] = [];
  const engines: ExchangeProcess[] = [];
  let api: ExchangeProcess;
  let schema: { url: string; drop(): Promise<void> };
  let env: Record<string, string>;
  let traders: ApiClient[] = [];

  beforeAll(async () => {
    schema = await isolatedPostgresSchema(serviceUrl('postgres'), 'exchange_restart_push');
    env = { ...distributedEnv('restart-push', schema.url), ORDERS_PER_SECOND_PER_USER: '1000000' };
    for (let i = 0; i < 2; i++) {
      const dataDir = mkdtempSync(join(tmpdir(), 'sd-engine-'));
      dirs.push(dataDir);
      engines.push(await ExchangeProcess.start({ ...env, ROLES: 'engine,history', DATA_DIR: dataDir }));
    }
    api = await ExchangeProcess.start({ ...env, ROLES: 'api' });
    for (const name of ['maker', 'taker']) {
      const client = new ApiClient(api.url);
      await client.signUp(`${name}@example.com`);
      await client.expectOk('POST', '/faucet', { currency: 'BTC', amount: '1000' });
      await client.expectOk('POST', '/faucet', { currency: 'USDT', amount: '1000000' });
      traders.push(client);
    }
  });

  afterAll(async () => {
    await api?.kill();
    for (const engine of engines) await engine.kill();
    await schema?.drop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('sends no event twice through a failover, and none from before a restarted replica\'s state', async () => {
    const watcher = await subscribeAll(traders[0]!);
    const stop = { now: false };
    const trading = trade(traders, stop);
    await sleep(2000);
    const leader = engines.find((engine) => /engine taking the lead/.test(engine.recentOutput()))!;
    await leader.kill();
    // Orders go on failing (503) until the standby leads, then trade again.
    const tradesBefore = watcher.messages.filter((message: any) => message.type === 'match' && message.user_id === undefined).length;
    const deadline = Date.now() + 60_000;
    while (watcher.messages.filter((message: any) => message.type === 'match' && message.user_id === undefined).length < tradesBefore + 50) {
      if (Date.now() > deadline) throw new Error('no trades after the failover');
      await sleep(100);
    }
    stop.now = true;
    await trading;
    await sleep(1000);
    const seen = new Map<string, number>();
    for (const message of watcher.messages) if (message.type === 'match' && message.user_id === undefined) seen.set(message.trade_id, (seen.get(message.trade_id) ?? 0) + 1);
    expect([...seen].filter(([, count]) => count > 1)).toEqual([]);
    watcher.close();

    await api.kill();
    api = await ExchangeProcess.start({ ...env, ROLES: 'api' });
    traders = traders.map((old) => Object.assign(new ApiClient(api.url), { token: old.token }));
    const feeds = await Promise.all(traders.map((client) => subscribeAll(client)));
    await sleep(3000);
    expect(feeds.map((feed) => eventsIn(feed).slice(0, 1))).toEqual([[], []]);
    for (const feed of feeds) feed.close();
  });
});
