import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import Big from 'big.js';
import { type Activity, type Bot, type Log, pause, runMarketMaker, runTaker } from './bots/bots';
import { ApiError, type ExchangeClient, type FillJson, type ProductJson, retryRateLimited } from './client';
import { Grid } from './decimal';
import { currentMid } from './market';
import { type BotUser, freshIdentity, readUsersFile, setUpUsers, writeUsersFile } from './setup';

export interface DemoOptions {
  /** The demo users' credentials, kept between runs so a restart signs nobody up again. */
  usersFile: string;
  /** Quotes per side of each product. */
  levels: number;
  /** How often each product's quotes are replaced. */
  refreshMs: number;
  /** How often the taker trades on each product. */
  takerIntervalMs: number;
  /** How often the demo logs what it did since the last line. */
  statusEveryMs: number;
}

/** Rough dollar prices of well-known currencies: a product's mid before it has traded, and the demo users' funds. */
const USD_PRICES: Readonly<Record<string, string>> = { BTC: '30000', ETH: '2000', USDT: '1', USDC: '1', USD: '1' };
/** Each demo user gets about this many dollars' worth of each currency it trades… */
const FUND_USD = '1000000';
/** …or this many units of a currency without a known price. */
const FUND_UNPRICED = '100000';
/** Maker quotes are this many minimum sizes; taker orders 1 to TAKER_SIZE_MULTIPLE of them. */
const MAKER_SIZE_MULTIPLE = 10;
const TAKER_SIZE_MULTIPLE = 3;
/** A bot that failed (the exchange restarting, say) starts again after this long. */
const RETRY_MS = 5000;
/** How long the demo waits for the exchange's `/api/health/ready` (a first start replays no journal: seconds). */
const READY_TIMEOUT_MS = 60_000;

/**
 * The starting mid of a product with no book and no trades: the ratio of its currencies'
 * dollar prices when both are known (BTC-USDT 30000, ETH-BTC 0.06666), else 10,000 price
 * steps, so that one step is a basis point of the price.
 */
export function defaultMid(product: ProductJson): string {
  const price = new Grid(product.quote_increment);
  const base = USD_PRICES[product.base_currency];
  const quote = USD_PRICES[product.quote_currency];
  const mid = base !== undefined && quote !== undefined ? new Big(base).div(quote).toString() : price.format(10_000);
  return price.format(Math.max(1, price.stepsIn(mid)));
}

/** What the faucet gives a demo user of `currency`. */
export function demoFund(currency: string): string {
  const price = USD_PRICES[currency];
  return price === undefined ? FUND_UNPRICED : new Big(FUND_USD).div(price).round(0, Big.roundDown).toFixed();
}

/**
 * Runs a small live market until `signal` aborts: on every online product a market maker
 * (its own user) quotes `levels` a side a basis point apart around the current mid, and one
 * taker user crosses each product's book every `takerIntervalMs`. Logs one status line every
 * `statusEveryMs`; on abort, the bots cancel their quotes, and every maker's orders are
 * cancelled once more in case a bot died between placing and cancelling.
 */
export async function runDemo(client: ExchangeClient, options: DemoOptions, signal: AbortSignal, log: Log): Promise<void> {
  await untilReady(client, READY_TIMEOUT_MS, signal);
  if (signal.aborted) return;
  const products = (await client.products()).filter((product) => product.status === 'online');
  if (products.length === 0) throw new Error('the exchange lists no online product');
  const [taker, ...makers] = (await demoUsers(client, options.usersFile, products.length + 1, log)).map(
    (user, index): Bot => ({ name: index === 0 ? 'taker' : `maker ${products[index - 1]!.id}`, auth: { apiKey: user.api_key! } }),
  );
  const currencies = new Set(products.flatMap((product) => [product.base_currency, product.quote_currency]));
  await topUp(client, [taker!, ...makers], [...currencies]);

  const counts = new ActivityCount();
  const status = setInterval(() => log(`demo: ${counts.take()} in the last ${options.statusEveryMs / 1000} s`), options.statusEveryMs);
  const quiet: Log = () => undefined;
  const runs = products.map(async (product, i) => {
    const maker = makers[i]!;
    let quoted!: () => void;
    const firstRound = new Promise<void>((resolve) => (quoted = resolve));
    const making = keepRunning(maker.name, signal, log, async () => {
      const price = new Grid(product.quote_increment);
      const midSteps = price.stepsIn(await currentMid(client, product.id, defaultMid(product)));
      const mid = price.format(midSteps);
      log(`demo: ${maker.name} quotes ${options.levels} a side around ${mid}`);
      // Quotes a basis point apart.
      const stepTicks = Math.max(1, Math.round(midSteps / 10_000));
      const quoting = { productId: product.id, levels: options.levels, stepTicks, sizeMultiple: MAKER_SIZE_MULTIPLE, refreshMs: options.refreshMs, mid, seed: i + 1 };
      await runMarketMaker(client, maker, quoting, signal, quiet, counts.activity(quoted));
    });
    // The taker's first look at the book comes after the maker's first quotes, or one interval in.
    await Promise.race([firstRound, pause(options.takerIntervalMs, signal)]);
    const taking = keepRunning(`taker ${product.id}`, signal, log, () =>
      runTaker(
        client,
        taker!,
        { productId: product.id, intervalMs: options.takerIntervalMs, sizeMultiple: TAKER_SIZE_MULTIPLE, seed: 100 + i },
        signal,
        quiet,
        counts.activity(),
      ),
    );
    await settleAll([making, taking]);
  });
  try {
    await settleAll(runs);
  } finally {
    clearInterval(status);
    await settleAll(makers.map((maker, i) => client.cancelAll(maker.auth, products[i]!.id)));
    log(`demo: stopped, quotes cancelled (${counts.take()} since the last status line)`);
  }
}

/** Waits for the exchange's readiness probe to answer 200. */
async function untilReady(client: ExchangeClient, timeoutMs: number, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await client.ready();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${client.origin} not ready within ${timeoutMs} ms: ${(error as Error).message}`);
    }
    await pause(200, signal);
    if (signal.aborted) return;
  }
}

/**
 * The `count` demo users, with trade API keys: those of `path` if the exchange still knows
 * them (its data was not wiped), plus any more signed up now; the file is rewritten when it changes.
 */
async function demoUsers(client: ExchangeClient, path: string, count: number, log: Log): Promise<BotUser[]> {
  let users: BotUser[] = [];
  if (existsSync(path)) {
    users = (await readUsersFile(path)).users;
    if (!(await accepted(client, users[0]!))) {
      log(`demo: the exchange does not know the users of ${path} (its data was reset?); signing up new ones`);
      users = [];
    }
  }
  if (users.length >= count) {
    log(`demo: reusing ${count} users of ${path}`);
    return users.slice(0, count);
  }
  const added = await setUpUsers(client, { count: count - users.length, ...freshIdentity(), apiKeys: true, fund: {}, concurrency: 2 });
  users = [...users, ...added];
  await mkdir(dirname(path), { recursive: true });
  await writeUsersFile(path, { origin: client.origin, users });
  log(`demo: signed up ${added.length} users, kept in ${path}`);
  return users;
}

/** Whether the user's API key still signs requests in (401 when the exchange does not know it). */
async function accepted(client: ExchangeClient, user: BotUser): Promise<boolean> {
  if (user.api_key === undefined) return false;
  try {
    await client.accounts({ apiKey: user.api_key });
    return true;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return false;
    throw error;
  }
}

/** Funds each bot, through the faucet, in each currency it holds less than half its demo fund of. */
async function topUp(client: ExchangeClient, bots: Bot[], currencies: string[]): Promise<void> {
  for (const bot of bots) {
    const accounts = await client.accounts(bot.auth);
    for (const currency of currencies) {
      const fund = demoFund(currency);
      const available = accounts.find((account) => account.currency === currency)?.available ?? '0';
      if (new Big(available).lt(new Big(fund).div(2))) await retryRateLimited(() => client.faucet(bot.auth, currency, fund));
    }
  }
}

/** Runs a bot again after `RETRY_MS` if it fails before `signal` aborts; a failure after that is the caller's. */
async function keepRunning(name: string, signal: AbortSignal, log: Log, run: () => Promise<void>): Promise<void> {
  for (;;) {
    try {
      return await run();
    } catch (error) {
      if (signal.aborted) throw error;
      log(`demo: ${name} failed, starting it again in ${RETRY_MS / 1000} s: ${(error as Error).message}`);
      await pause(RETRY_MS, signal);
      if (signal.aborted) return;
    }
  }
}

/** Waits for every promise, then throws the first failure if any. */
async function settleAll(promises: Promise<unknown>[]): Promise<void> {
  const failed = (await Promise.allSettled(promises)).find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
}

/** Orders placed and distinct trades seen by the demo's bots since the last `take`. */
class ActivityCount {
  private orders = 0;
  private readonly trades = new Set<string>();

  /** A bot's reporter; `onRound` is called after each round of orders. */
  activity(onRound?: () => void): Activity {
    return {
      ordered: (count) => {
        this.orders += count;
        onRound?.();
      },
      // A trade between two demo bots is a fill of each.
      filled: (fill: FillJson) => void this.trades.add(`${fill.product_id}:${fill.trade_id}`),
    };
  }

  take(): string {
    const line = `${this.orders} orders, ${this.trades.size} trades`;
    this.orders = 0;
    this.trades.clear();
    return line;
  }
}
