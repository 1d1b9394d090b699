import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Big from 'big.js';
import { exchangeConfigFromEnv } from '@sd/app-exchange/config';
import { type RunningExchange, startExchange } from '@sd/app-exchange/server';
import { type Bot, runMarketMaker, runTaker } from './bots/bots';
import { ExchangeClient, type FillJson } from './client';
import { runLoad } from './load/load-test';
import { DEFAULT_MIX } from './load/order-mix';
import type { TransportKind } from './load/transport';
import { findProduct, marketSpec } from './market';
import { type BotUser, freshIdentity, setUpUsers } from './setup';

jest.setTimeout(90_000);

const FUND = { USDT: '100000', BTC: '10' };
const PRODUCT = 'BTC-USDT';

describe('botclient against the exchange app (embedded default, in process)', () => {
  let dataDir: string;
  let exchange: RunningExchange;
  let client: ExchangeClient;
  let users: BotUser[];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sd-botclient-'));
    // The load test below sends a few hundred orders a second from three users, above the default per-user limit.
    exchange = await startExchange(exchangeConfigFromEnv({ DATA_DIR: dataDir, DEMO_MARKET: 'off', PORT: '0', LOG_LEVEL: 'silent', ORDERS_PER_SECOND_PER_USER: '1000' }));
    client = new ExchangeClient(exchange.url);
    users = await setUpUsers(client, { count: 3, ...freshIdentity(), apiKeys: true, fund: FUND, concurrency: 3 });
  });

  afterAll(async () => {
    await client?.close();
    await exchange?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const botOf = (index: number, name: string): Bot => ({ name, auth: { apiKey: users[index]!.api_key! } });

  it('setup signs users up, logs them in, gives them API keys and funds them', async () => {
    for (const user of users) {
      expect(user.api_key).toEqual({ key: expect.any(String), secret: expect.any(String), passphrase: expect.any(String) });
      // Read through the API key: a Coinbase-signed request is accepted.
      const accounts = await client.accounts({ apiKey: user.api_key! });
      for (const [currency, amount] of Object.entries(FUND)) {
        const account = accounts.find((a) => a.currency === currency);
        expect(new Big(account!.available).eq(amount)).toBe(true);
        expect(new Big(account!.hold).eq(0)).toBe(true);
      }
    }
  });

  it('a market maker and two takers trade through signed requests, and every unit is accounted for', async () => {
    const lines: string[] = [];
    const log = (line: string): void => void lines.push(line);
    const controller = new AbortController();
    const maker = runMarketMaker(
      client,
      botOf(0, 'maker0'),
      { productId: PRODUCT, levels: 3, stepTicks: 5, sizeMultiple: 20, refreshMs: 300, mid: '30000', seed: 1 },
      controller.signal,
      log,
    );
    await sleep(500); // the first quotes are on the book
    const takers = [1, 2].map((index) =>
      runTaker(client, botOf(index, `taker${index}`), { productId: PRODUCT, intervalMs: 150, sizeMultiple: 3, seed: index }, controller.signal, log),
    );
    await sleep(3000);
    controller.abort();
    await Promise.all([maker, ...takers]);

    const fills: FillJson[][] = await Promise.all(users.map((_, index) => client.fills(botOf(index, '').auth, PRODUCT, 1000)));
    expect(fills[0]!.length).toBeGreaterThan(0);
    expect(fills[0]!.every((fill) => fill.liquidity === 'M')).toBe(true);
    expect(fills[1]!.length + fills[2]!.length).toBe(fills[0]!.length);
    expect(lines.filter((line) => line.startsWith('maker0 fill:'))).toHaveLength(fills[0]!.length);

    // Per currency, the users hold what the faucet gave them, less the fees the exchange took (in USDT).
    const fees = fills.flat().reduce((sum, fill) => sum.plus(fill.fee), new Big(0));
    expect(fees.gt(0)).toBe(true);
    const balances = await Promise.all(users.map((_, index) => client.accounts(botOf(index, '').auth)));
    const total = (currency: string) => balances.flat().filter((a) => a.currency === currency).reduce((sum, a) => sum.plus(a.balance), new Big(0));
    expect(total('BTC').toFixed()).toBe(new Big(FUND.BTC).times(users.length).toFixed());
    expect(total('USDT').plus(fees).toFixed()).toBe(new Big(FUND.USDT).times(users.length).toFixed());
    // The maker cancelled its quotes on the way out; takers never rest: nothing is held.
    expect(balances.flat().every((account) => new Big(account.hold).eq(0))).toBe(true);
    // The bots' base moved: the takers' BTC changed by what they traded.
    expect(new Big(balances[1]!.find((a) => a.currency === 'BTC')!.balance).plus(balances[2]!.find((a) => a.currency === 'BTC')!.balance).eq(20)).toBe(false);
  });

  it.each<[TransportKind, number]>([
    ['raw', 4],
    ['undici', 4],
    ['http', 1],
  ])('the load test through the %s generator gets an answer to every request and no error', async (transport, pipelining) => {
    const market = marketSpec(await findProduct(client, PRODUCT), '30000', DEFAULT_MIX.spreadSteps);
    const result = await runLoad({
      origin: exchange.url,
      tokens: users.map((user) => user.access_token),
      market,
      mix: { ...DEFAULT_MIX, seed: 11 },
      mode: { kind: 'open', rate: 300 },
      connections: 4,
      pipelining,
      transport,
      durationMs: 1500,
    });
    expect(result.errors.entries()).toEqual([]);
    expect(result.ok + result.rejected.total).toBe(result.places + result.cancels);
    expect(result.latency.count).toBe(result.places + result.cancels);
    expect(result.places + result.cancels).toBeGreaterThanOrEqual(440);
    expect(result.cancels).toBeGreaterThan(0);
  });
});
