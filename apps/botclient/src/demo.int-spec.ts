import 'reflect-metadata';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { exchangeConfigFromEnv } from '@sd/app-exchange/config';
import { type RunningExchange, startExchange } from '@sd/app-exchange/server';
import { ExchangeClient } from './client';
import { type DemoOptions, runDemo } from './demo';
import { readUsersFile, writeUsersFile } from './setup';

jest.setTimeout(90_000);

/** Polls `check` until it holds; fails with what it last saw after `timeoutMs`. */
async function eventually<T>(what: string, read: () => Promise<T>, holds: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (holds(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms; last seen: ${JSON.stringify(value)}`);
    await sleep(100);
  }
}

describe('botclient demo against the exchange app (embedded default, in process)', () => {
  let dataDir: string;
  let exchange: RunningExchange;
  let client: ExchangeClient;
  let productIds: string[];
  let options: DemoOptions;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sd-botclient-demo-'));
    exchange = await startExchange(exchangeConfigFromEnv({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent' }));
    client = new ExchangeClient(exchange.url);
    productIds = (await client.products()).map((product) => product.id);
    // Faster than the defaults so the test sees a market in seconds; the default per-user order limit holds.
    options = { usersFile: join(dataDir, 'demo-users.json'), levels: 3, refreshMs: 300, takerIntervalMs: 300, statusEveryMs: 1000 };
  });

  afterAll(async () => {
    await client?.close();
    await exchange?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Starts the demo; `stop` aborts it and resolves once it has finished, with what it logged. */
  function startDemo(): { lines: string[]; stop: () => Promise<string[]> } {
    const lines: string[] = [];
    const controller = new AbortController();
    const running = runDemo(client, options, controller.signal, (line) => void lines.push(line));
    return {
      lines,
      stop: async () => {
        controller.abort();
        await running;
        return lines;
      },
    };
  }

  const bookOf = (productId: string) => client.book(productId);
  const bothSides = (book: { bids: unknown[]; asks: unknown[] }) => book.bids.length > 0 && book.asks.length > 0;

  async function openDemoOrders(): Promise<number> {
    const { users } = await readUsersFile(options.usersFile);
    const open = await Promise.all(users.map((user) => client.openOrders({ apiKey: user.api_key! })));
    return open.flat().length;
  }

  it('quotes both sides of every product, trades on each, logs a status line, and leaves no order open when stopped', async () => {
    expect(productIds.length).toBeGreaterThanOrEqual(3);
    const demo = startDemo();
    for (const productId of productIds) await eventually(`${productId} has bids and asks`, () => bookOf(productId), bothSides);
    for (const productId of productIds) await eventually(`${productId} has traded`, () => client.trades(productId), (trades) => trades.length > 0);
    await eventually('a status line', async () => demo.lines, (lines) => lines.some((line) => /^demo: \d+ orders, \d+ trades in the last 1 s$/.test(line)));
    expect(await openDemoOrders()).toBeGreaterThan(0);

    const lines = await demo.stop();
    expect(await openDemoOrders()).toBe(0);
    for (const productId of productIds) expect(bothSides(await bookOf(productId))).toBe(false);
    expect(lines[0]).toMatch(/^demo: signed up 4 users, kept in /);
    expect(lines.at(-1)).toMatch(/^demo: stopped, quotes cancelled/);
    // One line per status period and per start and stop, not one per order.
    expect(lines.length).toBeLessThan(20);
  });

  it('a restart reuses the users it kept and quotes again', async () => {
    const kept = readFileSync(options.usersFile, 'utf8');
    const demo = startDemo();
    for (const productId of productIds) await eventually(`${productId} has bids and asks`, () => bookOf(productId), bothSides);
    const lines = await demo.stop();
    expect(lines[0]).toBe(`demo: reusing 4 users of ${options.usersFile}`);
    expect(readFileSync(options.usersFile, 'utf8')).toBe(kept);
    expect(await openDemoOrders()).toBe(0);
  });

  it('signs up new users when the exchange does not know the kept ones (its data was reset)', async () => {
    const { users } = await readUsersFile(options.usersFile);
    const stranger = { ...users[0]!, api_key: { key: 'not-a-key', secret: users[0]!.api_key!.secret, passphrase: 'nope' } };
    await writeUsersFile(options.usersFile, { origin: exchange.url, users: [stranger] });
    const demo = startDemo();
    await eventually('BTC-USDT has bids and asks', () => bookOf('BTC-USDT'), bothSides);
    const lines = await demo.stop();
    expect(lines[0]).toMatch(/does not know the users of .*; signing up new ones$/);
    const fresh = (await readUsersFile(options.usersFile)).users;
    expect(fresh).toHaveLength(4);
    expect(fresh.map((user) => user.email)).not.toContain(users[0]!.email);
  });
});
