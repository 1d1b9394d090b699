import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as forward, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Big from 'big.js';
import ccxt, { type Exchange } from 'ccxt';
import { exchangeConfigFromEnv } from './config';
import { startExchange, type RunningExchange } from './server';
import { ApiClient } from './testing/api-client';
import { ContractRecorder } from './testing/contract';

jest.setTimeout(60_000);

/**
 * The stock ccxt package (pinned in package.json), its coinbaseexchange class, trading on the
 * embedded exchange with nothing changed but its API URL and credentials. Amounts are read as
 * strings (`exchange.number = String`, ccxt's own switch), so balances compare exactly. ccxt
 * reaches the exchange through a loopback recorder, whose answers are checked against the
 * served OpenAPI document. Nothing in ccxt reaches the internet: loadMarkets asks the
 * exchange's /currencies and /products only (adjustForTimeDifference stays off, its default).
 */
describe('ccxt coinbaseexchange against the embedded exchange', () => {
  let dataDir: string;
  let exchange: RunningExchange;
  let recorder: Server;
  let apiUrl: string;
  const contract = new ContractRecorder();
  let alice: Exchange;
  let bob: Exchange;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sd-exchange-ccxt-'));
    exchange = await startExchange(exchangeConfigFromEnv({ DATA_DIR: dataDir, DEMO_MARKET: 'off', PORT: '0', LOG_LEVEL: 'silent', ORDERS_PER_SECOND_PER_USER: '20' }));
    recorder = await recordingProxy(exchange.url, contract);
    apiUrl = `http://127.0.0.1:${(recorder.address() as AddressInfo).port}/api`;
    alice = await traderWithKey('alice-ccxt@example.com');
    bob = await traderWithKey('bob-ccxt@example.com');
  });

  afterAll(async () => {
    await new Promise((resolve) => recorder?.close(resolve));
    await exchange?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** A user with a view+trade API key and faucet funds, and a ccxt client signed with that key. */
  async function traderWithKey(email: string): Promise<Exchange> {
    const web = new ApiClient(exchange.url);
    await web.signUp(email);
    await web.expectOk('POST', '/faucet', { currency: 'BTC', amount: '2' });
    await web.expectOk('POST', '/faucet', { currency: 'USDT', amount: '100000' });
    const key = await web.expectOk<{ key: string; secret: string; passphrase: string }>('POST', '/users/apiKeys', { permissions: ['view', 'trade'] });
    return client({ apiKey: key.key, secret: key.secret, password: key.passphrase });
  }

  function client(credentials: { apiKey: string; secret: string; password: string }): Exchange {
    // The README's one-line recipe.
    const trader = new ccxt.coinbaseexchange({ ...credentials, urls: { api: { public: apiUrl, private: apiUrl } } });
    // ccxt's own switch for exact amounts ("Number or String"), though its typing names Number only.
    trader.number = String as unknown as Exchange['number'];
    return trader;
  }

  it('loads markets and currencies, the time, a ticker, the book, trades and candles', async () => {
    const markets = await alice.loadMarkets();
    expect(markets['BTC/USDT']).toMatchObject({ id: 'BTC-USDT', base: 'BTC', quote: 'USDT', active: true, precision: { amount: '0.0001', price: '0.01' } });
    const currencies = await alice.fetchCurrencies();
    expect(currencies.USDT).toMatchObject({ id: 'USDT', code: 'USDT', active: true, precision: '0.000001' });
    expect(Math.abs((await alice.fetchTime())! - Date.now())).toBeLessThan(5_000);

    await alice.createOrder('BTC/USDT', 'limit', 'sell', 0.5, 30000.1);
    await bob.createOrder('BTC/USDT', 'limit', 'buy', 0.2, 30001);
    const ticker = await bob.fetchTicker('BTC/USDT');
    // As strings, every amount reads exactly as the exchange wrote it, at the currency's scale.
    expect(ticker).toMatchObject({ symbol: 'BTC/USDT', last: '30000.100000', ask: '30000.100000', baseVolume: '0.20000000' });
    const book = await bob.fetchOrderBook('BTC/USDT');
    // ccxt's order book keeps numbers whatever `number` says: [price, size, orders at the level].
    expect(book.asks).toEqual([[30000.1, 0.3, 1]]);
    expect(book.nonce).toEqual(expect.any(Number));
    const trades = await bob.fetchTrades('BTC/USDT');
    expect(trades).toEqual([expect.objectContaining({ symbol: 'BTC/USDT', price: '30000.100000', amount: '0.20000000', side: 'buy' })]);
    const candles = await bob.fetchOHLCV('BTC/USDT', '1m');
    expect(candles).toHaveLength(1);
    expect(candles[0]!.slice(1)).toEqual(['30000.100000', '30000.100000', '30000.100000', '30000.100000', '0.20000000']);
  });

  it('trades: limit, market and post-only orders, fetching and canceling them, fills, exact balances', async () => {
    const before = await bob.fetchBalance();
    const limitOrder = await bob.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 20000);
    const limitId = limitOrder.id!;
    expect(limitOrder).toMatchObject({ status: 'open', side: 'buy', type: 'limit', price: '20000.000000', amount: '0.01000000' });
    const postOnly = await bob.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 20000.5, { postOnly: true });
    expect(postOnly).toMatchObject({ status: 'open', postOnly: true });
    const marketOrder = await bob.createOrder('BTC/USDT', 'market', 'buy', 0.0123);
    // 0.0123 BTC at 30000.10 = 369.00123 USDT, taker fee 0.2 % = 0.738003 (rounded up to the micro-USDT).
    expect(marketOrder).toMatchObject({ status: 'closed', filled: '0.01230000', cost: '369.001230' });

    expect(await bob.fetchOrder(limitId)).toMatchObject({ id: limitId, status: 'open', filled: '0.00000000' });
    const open = await bob.fetchOpenOrders('BTC/USDT');
    expect(open.map((o) => o.id).sort()).toEqual([limitOrder.id, postOnly.id].sort());
    await bob.cancelOrder(limitId);
    expect(await bob.fetchOrder(limitId)).toMatchObject({ status: 'canceled' });
    await bob.cancelAllOrders();
    expect(await bob.fetchOpenOrders()).toEqual([]);
    const closed = await bob.fetchClosedOrders('BTC/USDT');
    expect(closed.map((o) => o.id)).toEqual(expect.arrayContaining([limitOrder.id, postOnly.id, marketOrder.id]));

    const fills = await bob.fetchMyTrades('BTC/USDT');
    expect(fills.find((f) => f.order === marketOrder.id)).toMatchObject({ side: 'buy', amount: '0.01230000', price: '30000.100000', takerOrMaker: 'taker', fee: { cost: '0.738003', currency: 'USDT' } });

    const after = await bob.fetchBalance();
    const spent = new Big('369.00123').plus('0.738003');
    expect(after.USDT!.total).toBe(new Big(before.USDT!.total!).minus(spent).toFixed(6));
    expect(after.BTC!.total).toBe(new Big(before.BTC!.total!).plus('0.0123').toFixed(8));
    expect(after.USDT!.used).toBe('0.000000');
  });

  it('reads the ledger, withdraws, and lists deposits and withdrawals', async () => {
    const withdrawal = await alice.withdraw('USDT', 250.25, '0xfeed');
    expect(withdrawal).toMatchObject({ currency: 'USDT', amount: '250.250000' });
    const withdrawals = await alice.fetchWithdrawals();
    expect(withdrawals).toEqual([expect.objectContaining({ id: withdrawal.id, type: 'withdrawal', currency: 'USDT', amount: '250.250000', status: 'ok', address: '0xfeed' })]);
    const deposits = await alice.fetchDeposits();
    expect(deposits.map((d) => [d.currency, d.amount, d.status]).sort()).toEqual([
      ['BTC', '2.00000000', 'ok'],
      ['USDT', '100000.000000', 'ok'],
    ]);
    const ledger = await alice.fetchLedger('USDT');
    const newest = ledger.at(-1)!; // ccxt sorts oldest first
    expect(newest).toMatchObject({ type: 'transfer', direction: 'out', currency: 'USDT' });
    expect(new Big(newest.amount!).eq('250.25')).toBe(true);
    const balance = await alice.fetchBalance();
    expect(new Big(newest.after!).eq(balance.USDT!.total!)).toBe(true);
    expect(new Big(newest.before!).minus(newest.after!).eq('250.25')).toBe(true);
  });

  it('gets each refusal as the ccxt error class it is', async () => {
    await expect(bob.createOrder('BTC/USDT', 'limit', 'buy', 10, 30000)).rejects.toThrow(ccxt.InsufficientFunds);
    await expect(bob.withdraw('USDT', 10_000_000, '0xfeed')).rejects.toThrow(ccxt.InsufficientFunds);
    // ETH-USDT trades in 0.0001 ETH, from 0.001 ETH: on the increment, under the minimum.
    await expect(bob.createOrder('ETH/USDT', 'limit', 'buy', 0.0005, 2000)).rejects.toThrow(ccxt.InvalidOrder);
    await expect(bob.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 100, { price: '100.001' })).rejects.toThrow(ccxt.InvalidOrder);
    await expect(bob.fetchOrder('123456789')).rejects.toThrow(ccxt.OrderNotFound);
    await expect(bob.cancelOrder('123456789')).rejects.toThrow(ccxt.OrderNotFound);
    // Coinbase answers a post-only order that would cross with a rejected order, so ccxt has no words for it: a 400 it does not retry.
    const crossing = bob.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 30000.1, { postOnly: true });
    await expect(crossing).rejects.toThrow(ccxt.ExchangeError);
    await expect(crossing).rejects.not.toThrow(ccxt.NetworkError);

    const keys = { apiKey: bob.apiKey, secret: bob.secret, password: bob.password };
    await expect(client({ ...keys, password: 'wrong' }).fetchBalance()).rejects.toThrow(ccxt.AuthenticationError);
    await expect(client({ ...keys, secret: Buffer.from('a different secret').toString('base64') }).fetchBalance()).rejects.toThrow(ccxt.AuthenticationError);

    // Past 20 order requests per second (this app's setting), with ccxt's own throttle off: 100 at once, so even a
    // loaded machine that answers them over a few seconds sees more than 20 in one of them.
    const hasty = client(keys);
    hasty.enableRateLimit = false;
    await hasty.loadMarkets();
    const results = await Promise.allSettled(Array.from({ length: 100 }, () => hasty.cancelOrder('123456789')));
    const errors = results.map((result) => (result.status === 'rejected' ? result.reason : null));
    expect(errors.some((error) => error instanceof ccxt.RateLimitExceeded)).toBe(true);
    expect(errors.every((error) => error instanceof ccxt.RateLimitExceeded || error instanceof ccxt.OrderNotFound)).toBe(true);
  });

  it('answers two identical signed requests in the same second alike', async () => {
    // Both calls sign the same whole-second timestamp (ccxt's nonce is seconds()): started together, early in a second.
    await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 10));
    const [first, second] = await Promise.all([alice.fetchBalance(), alice.fetchBalance()]);
    expect(second.USDT).toEqual(first.USDT);
    const [a, b] = await Promise.all([alice.createOrder('BTC/USDT', 'limit', 'sell', 0.01, 90000), alice.createOrder('BTC/USDT', 'limit', 'sell', 0.01, 90000)]);
    expect(a.id).not.toBe(b.id);
    expect(Math.floor(a.timestamp! / 1000)).toBe(Math.floor(b.timestamp! / 1000));
  });

  it('was answered as the OpenAPI document says, every time', async () => {
    expect(contract.count).toBeGreaterThan(30);
    expect(contract.mismatches(await ContractRecorder.documentOf(exchange.url))).toEqual([]);
  });
});

/** A loopback proxy in front of the exchange that records every answer, for the OpenAPI check. */
async function recordingProxy(target: string, contract: ContractRecorder): Promise<Server> {
  const { hostname, port } = new URL(target);
  const server = createServer((req, res) => {
    const upstream = forward({ hostname, port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => {
        const body = Buffer.concat(chunks);
        contract.record(req.method!, req.url!, answer.statusCode!, body.toString('utf8'));
        res.writeHead(answer.statusCode!, answer.headers);
        res.end(body);
      });
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
