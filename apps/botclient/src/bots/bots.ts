import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError, type Credentials, type ExchangeClient, type FillJson, type OrderJson } from '../client';
import { EXPECTED_REJECTIONS } from '../load/outcomes';
import { Prng } from '@sd/exchange/usecase/core/prng';
import { currentMid, findProduct, marketSpec } from '../market';

export interface Bot {
  name: string;
  auth: Credentials;
}

export interface MarketMakerOptions {
  productId: string;
  /** Quotes per side. */
  levels: number;
  /** Price steps between the mid and the first quote, and between quotes. */
  stepTicks: number;
  /** Each quote is the product's minimum size times this. */
  sizeMultiple: number;
  refreshMs: number;
  /** Used when the product has no book and no trades yet. */
  mid?: string;
  seed: number;
}

export interface TakerOptions {
  productId: string;
  intervalMs: number;
  /** Each order is the minimum size times 1..sizeMultiple. */
  sizeMultiple: number;
  seed: number;
}

export type Log = (line: string) => void;

/**
 * Quotes `levels` bids and asks around a mid that takes a small random walk, and every
 * `refreshMs` cancels them all and quotes again. Quotes are post-only: a quote that would
 * take liquidity is refused rather than trading. Prints its new fills each round.
 */
export async function runMarketMaker(client: ExchangeClient, bot: Bot, options: MarketMakerOptions, signal: AbortSignal, log: Log): Promise<void> {
  const product = await findProduct(client, options.productId);
  // The mid walks at most `walk` steps either way, so the lowest quote is 2 × walk below the start.
  const walk = options.stepTicks * options.levels;
  const spec = marketSpec(product, await currentMid(client, options.productId, options.mid), 2 * walk);
  const random = new Prng(options.seed);
  const fills = new FillPrinter(client, bot, options.productId, log);
  await fills.skipExisting();
  let mid = spec.midSteps;
  const size = spec.size.format(spec.minSizeSteps * options.sizeMultiple);
  while (!signal.aborted) {
    await client.cancelAll(bot.auth, options.productId);
    const quotes: Promise<OrderJson | undefined>[] = [];
    for (let level = 1; level <= options.levels; level++) {
      for (const side of ['buy', 'sell'] as const) {
        const steps = side === 'buy' ? mid - level * options.stepTicks : mid + level * options.stepTicks;
        const order = { product_id: options.productId, side, type: 'limit', price: spec.price.format(steps), size, post_only: true, client_oid: randomUUID() };
        quotes.push(client.placeOrder(bot.auth, order).catch(tolerateRejection));
      }
    }
    await Promise.all(quotes);
    log(`${bot.name} quotes ${options.levels}x${size} each side around ${spec.price.format(mid)}`);
    await fills.printNew();
    mid = Math.min(spec.midSteps + walk, Math.max(spec.midSteps - walk, mid + random.int(-1, 1) * options.stepTicks));
    await pause(options.refreshMs, signal);
  }
  await client.cancelAll(bot.auth, options.productId);
  await fills.printNew();
}

/** Every `intervalMs`, takes liquidity with a market order or a limit IOC at the best opposite price. */
export async function runTaker(client: ExchangeClient, bot: Bot, options: TakerOptions, signal: AbortSignal, log: Log): Promise<void> {
  const product = await findProduct(client, options.productId);
  const random = new Prng(options.seed);
  const fills = new FillPrinter(client, bot, options.productId, log);
  await fills.skipExisting();
  while (!signal.aborted) {
    const book = await client.book(options.productId);
    const side = random.chance(0.5) ? 'buy' : 'sell';
    const best = side === 'buy' ? book.asks[0]?.[0] : book.bids[0]?.[0];
    if (best !== undefined) {
      const spec = marketSpec(product, best, 0);
      const size = spec.size.format(spec.minSizeSteps * random.int(1, options.sizeMultiple));
      const order =
        random.chance(0.5)
          ? { product_id: options.productId, side, type: 'market', size, client_oid: randomUUID() }
          : { product_id: options.productId, side, type: 'limit', price: best, size, time_in_force: 'IOC', client_oid: randomUUID() };
      const placed = await client.placeOrder(bot.auth, order).catch(tolerateRejection);
      if (placed) log(`${bot.name} ${side} ${size} ${order.type}${order.type === 'limit' ? ` IOC @ ${best}` : ''}: ${placed.status}, filled ${placed.filled_size}`);
      await fills.printNew();
    }
    await pause(options.intervalMs, signal);
  }
  await fills.printNew();
}

/** Prints the balances of each bot: balance, available, hold per currency. */
export async function printBalances(client: ExchangeClient, bots: Bot[], log: Log): Promise<void> {
  for (const bot of bots) {
    const accounts = await client.accounts(bot.auth);
    const lines = accounts.map((a) => `${a.currency} ${a.balance} (available ${a.available}, hold ${a.hold})`);
    log(`${bot.name} balances: ${lines.join('; ') || 'none'}`);
  }
}

/** Expected refusals (post-only would cross, nothing to cancel) are part of trading; anything else stops the bot. */
function tolerateRejection(error: unknown): undefined {
  if (error instanceof ApiError && error.code !== undefined && EXPECTED_REJECTIONS.has(error.code)) return undefined;
  throw error;
}

/** Sleeps `ms`, or less if `signal` aborts first. */
export async function pause(ms: number, signal: AbortSignal): Promise<void> {
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}

/** Remembers which of the bot's fills it has printed; the fills list answers the newest 100. */
class FillPrinter {
  private readonly seen = new Set<string>();

  constructor(
    private readonly client: ExchangeClient,
    private readonly bot: Bot,
    private readonly productId: string,
    private readonly log: Log,
  ) {}

  async skipExisting(): Promise<void> {
    for (const fill of await this.client.fills(this.bot.auth, this.productId)) this.seen.add(key(fill));
  }

  async printNew(): Promise<void> {
    const fresh = (await this.client.fills(this.bot.auth, this.productId)).filter((fill) => !this.seen.has(key(fill))).reverse();
    for (const fill of fresh) {
      this.seen.add(key(fill));
      this.log(`${this.bot.name} fill: ${fill.side} ${fill.size} ${fill.product_id} @ ${fill.price} (${fill.liquidity === 'M' ? 'maker' : 'taker'}, fee ${fill.fee})`);
    }
  }
}

const key = (fill: FillJson): string => `${fill.trade_id}:${fill.order_id}`;

