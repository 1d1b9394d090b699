import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import Big from 'big.js';
import { type Bot, type Log } from '../bots/bots';
import { ApiError, type ExchangeClient, type FillJson, type ProductJson, type ReplayJson } from '../client';
import { Grid } from '../decimal';
import { EXPECTED_REJECTIONS } from '../load/outcomes';
import { findProduct } from '../market';
import { type BotUser, freshIdentity, setUpUsers } from '../setup';
import { currentReplay, followReplay } from './follow-replay';
import { type ProfitAndLoss, profitAndLoss } from './pnl';
import type { ReplayProgress } from './replay-progress';
import { MeanReversion, type Quote } from './strategy';

export interface BacktestOptions {
  /** What the faucet gives the backtest's fresh user. */
  fund: Record<string, string>;
  /** Trades in the moving average. */
  window: number;
  bandBps: number;
  /** Each order is the product's minimum size times this. */
  sizeMultiple: number;
  /** The position limit, in orders: at most this many orders' size long or short. */
  maxOrders: number;
  pollMs: number;
}

export interface BacktestResult {
  /** The fresh user the strategy traded as. */
  user: BotUser;
  productId: string;
  replay: ReplayJson;
  /** Oldest first. */
  fills: FillJson[];
  /** The last trade price, the open position's mark. */
  mark: string;
  pnl: ProfitAndLoss;
}

/** How many trades and fills one request asks for: the API's most. */
const PAGE = 1000;
/** How long the fills may take to catch up with the balances at the end. */
const SETTLE_MS = 5_000;

/**
 * Runs the sample strategy against the exchange's replay: signs up and funds a fresh user,
 * starts the replay, trades on every poll until the replay is done (or `signal` aborts),
 * then cancels its orders and returns its fills and P&L.
 */
export async function runBacktest(client: ExchangeClient, options: BacktestOptions, signal: AbortSignal, progress: ReplayProgress, log: Log): Promise<BacktestResult> {
  const { product_id: productId, file } = await currentReplay(client);
  const product = await findProduct(client, productId);
  const [user] = await setUpUsers(client, { count: 1, ...freshIdentity(), apiKeys: true, fund: options.fund, concurrency: 1 });
  const bot: Bot = { name: 'backtest', auth: { apiKey: user!.api_key! } };
  const size = new Grid(product.base_increment);
  const orderSteps = size.stepsAtLeast(product.base_min_size || product.base_increment) * options.sizeMultiple;
  const orderSize = size.format(orderSteps);
  const maxPosition = size.format(orderSteps * options.maxOrders);
  const strategy = new MeanReversion({ window: options.window, bandBps: options.bandBps, orderSize, maxPosition });
  log(`backtest: ${user!.email} trades ${productId} on the replay of ${file}: mean reversion over ${options.window} trades, band ${options.bandBps} bps, ${orderSize} an order, at most ${maxPosition} either way`);

  const trader = new Trader(client, bot, product, strategy, orderSize);
  await trader.start();
  let replay: ReplayJson;
  try {
    replay = await followReplay(client, bot.auth, { pollMs: options.pollMs, signal }, async (status) => {
      if (status.state === 'running') await trader.step();
      progress.update(status, trader.fillCount);
    });
  } finally {
    progress.stop();
    await client.cancelAll(bot.auth, productId);
  }
  const fills = await trader.settledFills();
  const mark = (await client.trades(productId, 1))[0]?.price ?? '0';
  return { user: user!, productId, replay, fills, mark, pnl: profitAndLoss(fills, mark) };
}

/**
 * Keeps at most one order working where the strategy wants it. The position is read from
 * the account (the engine's balance, not the fills' read side) after a cancel, so an order
 * that filled just before it counts before the next is placed.
 */
class Trader {
  private lastTradeId = 0;
  private readonly fills = new Set<string>();
  private startBase: Big | undefined;
  private working: Quote | undefined;

  constructor(
    private readonly client: ExchangeClient,
    private readonly bot: Bot,
    private readonly product: ProductJson,
    private readonly strategy: MeanReversion,
    private readonly orderSize: string,
  ) {}

  get fillCount(): number {
    return this.fills.size;
  }

  async start(): Promise<void> {
    this.startBase = await this.baseBalance();
  }

  async step(): Promise<void> {
    const trades = (await this.client.trades(this.product.id, PAGE)).filter((trade) => Number(trade.trade_id) > this.lastTradeId).reverse();
    for (const trade of trades) this.strategy.observe(trade.price);
    this.lastTradeId = Number(trades[trades.length - 1]?.trade_id ?? this.lastTradeId);
    const fresh = (await this.client.fills(this.bot.auth, this.product.id, PAGE)).filter((fill) => !this.fills.has(fill.trade_id));
    for (const fill of fresh) this.fills.add(fill.trade_id);
    const wanted = this.strategy.want(await this.position());
    // Unchanged and not (partly) filled: leave it working.
    if (fresh.length === 0 && wanted?.side === this.working?.side && wanted?.price === this.working?.price) return;
    await this.client.cancelAll(this.bot.auth, this.product.id);
    this.working = undefined;
    const now = this.strategy.want(await this.position());
    if (now === undefined) return;
    const order = { product_id: this.product.id, type: 'limit', side: now.side, price: now.price, size: this.orderSize, client_oid: randomUUID() };
    try {
      await this.client.placeOrder(this.bot.auth, order);
      this.working = now;
    } catch (error) {
      if (!(error instanceof ApiError && error.code !== undefined && EXPECTED_REJECTIONS.has(error.code))) throw error;
    }
  }

  /**
   * Every fill, oldest first, once they add up to the account's position: fills are read from
   * the history, which may trail the engine's balances by a moment.
   */
  async settledFills(): Promise<FillJson[]> {
    const deadline = Date.now() + SETTLE_MS;
    for (;;) {
      const fills = await allFills(this.client, this.bot, this.product.id);
      const position = fills.reduce((sum, fill) => (fill.side === 'buy' ? sum.plus(fill.size) : sum.minus(fill.size)), new Big(0));
      if (position.eq(await this.position()) || Date.now() > deadline) return fills;
      await sleep(50);
    }
  }

  private async position(): Promise<Big> {
    return (await this.baseBalance()).minus(this.startBase!);
  }

  private async baseBalance(): Promise<Big> {
    const account = (await this.client.accounts(this.bot.auth)).find((candidate) => candidate.currency === this.product.base_currency);
    return new Big(account?.balance ?? '0');
  }
}

/** Every fill of the bot on the product, oldest first, paged by trade id. */
async function allFills(client: ExchangeClient, bot: Bot, productId: string): Promise<FillJson[]> {
  const fills: FillJson[] = [];
  for (let after: string | undefined; ; ) {
    const page = await client.fills(bot.auth, productId, PAGE, after);
    fills.push(...page);
    if (page.length < PAGE) return fills.reverse();
    after = page[page.length - 1]!.trade_id;
  }
}
