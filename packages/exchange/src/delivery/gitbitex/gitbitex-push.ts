import type { CommandOutcome, DecimalEvent, ExchangeEvent } from '@sd/domain/exchange/event';
import { CANDLE_GRANULARITIES, type Candle } from '@sd/domain/exchange/market-data';
import type { OrderRecord } from '@sd/domain/exchange/order-history';
import type { Logger } from '@sd/domain/logger';
import type { ProductCatalog } from '../../usecase/core/catalog/product-catalog';
import type { EngineReader } from '../../usecase/core/engine/engine-reader';
import type { EventFormatter } from '../../usecase/core/money/event-format';
import type { OrderViews } from '../../usecase/core/order-view';
import type { Stats24h } from '../../usecase/read/quotation/quotation-queries';
import { isoTime } from '../http/api-format';
import { byChannel, parseChannels, type DecimalBook, type PushDialect, type PushClient, type PushFeed, type PushRequest, type PushServerOptions, type PushSubscription } from '../ws/push-server';
import { TickerStats, type RollingStatsSource } from '../ws/ticker-stats';
import { canonicalDecimal, orderJson } from './gitbitex-format';

const PUBLIC = ['ticker', 'level2', 'match'];
const CANDLES = new Set(CANDLE_GRANULARITIES.map((granularity) => `candles_${granularity}`));
const ORDER = 'order';
const FUNDS = 'funds';
const ALL = '*';

export interface GitbitexPushOptions {
  catalog: ProductCatalog;
  reader: EngineReader;
  formatter: EventFormatter;
  views: OrderViews;
  /** The read side's rolling statistics of a product (24 h with its last price, and 30 d). */
  stats: Omit<RollingStatsSource, 'stats24h'> & { stats24h(productId: string): Promise<Stats24h> };
  logger: Logger;
}

/**
 * gitbitex-web's WebSocket: `ticker` (with `open24h` and `volume24h`), `level2`, `match`,
 * `candles_<granularity>` (accepted and described, never sent: the page builds its live
 * candle from `match`) and, signed in, `order` (whole order snapshots) and `funds` (by
 * `currency_ids`). camelCase fields. The page sends an empty or stale `token` with every
 * message and subscribes `order` before anyone signs in: a private channel without a user
 * is skipped, not the whole message, and each private subscribe authenticates again.
 */
export class GitbitexPush implements PushDialect {
  readonly bookChannels: ReadonlySet<string> = new Set(['level2']);
  readonly privateChannels: ReadonlySet<string> = new Set([ORDER, FUNDS]);
  readonly unauthenticated = 'skip';
  readonly reauthenticate = true;
  /** `order` subscriptions per user: the users whose orders are followed. */
  private readonly followed = new Map<string, number>();
  /** The followed users' live orders, folded from the engine's events into snapshots. */
  private readonly orders = new Map<number, OrderRecord>();
  private readonly tickerStats: TickerStats;

  constructor(private readonly options: GitbitexPushOptions) {
    this.tickerStats = new TickerStats(options.catalog, options.stats);
  }

  parse(message: Record<string, unknown>): PushRequest | string {
    const { catalog } = this.options;
    const currencies = message.currency_ids ?? [];
    if (!Array.isArray(currencies) || !currencies.every((id) => typeof id === 'string' && catalog.currency(id) !== undefined)) {
      return 'currency_ids must name known currencies';
    }
    const subscriptions = parseChannels(
      message,
      (name) => PUBLIC.includes(name) || name === ORDER || name === FUNDS || CANDLES.has(name),
      (id) => catalog.product(id) !== undefined,
      (name, productIds) => {
        if (name === FUNDS) return currencies.length > 0 ? (currencies as string[]) : [ALL];
        return name === ORDER && productIds.length === 0 ? [ALL] : productIds;
      },
    );
    return typeof subscriptions === 'string' ? subscriptions : { type: message.type as PushRequest['type'], subscriptions };
  }

  /** What the page replays after a reconnect: each entry, with `channels: [name]`, is a subscribe message of its own. */
  describe(subscriptions: readonly PushSubscription[]): object {
    const channels = byChannel(subscriptions).map(([name, targets]) => {
      if (targets.includes(ALL)) return { name };
      return name === FUNDS ? { name, currency_ids: targets } : { name, product_ids: targets };
    });
    return { type: 'subscriptions', channels };
  }

  snapshot(book: DecimalBook): object {
    const levels = (rows: DecimalBook['bids']): Array<[string, string, number]> => rows.map(([price, size, count]) => [canonicalDecimal(price), size, count]);
    return { type: 'snapshot', productId: book.productId, sequence: book.bookSequence, bids: levels(book.bids), asks: levels(book.asks) };
  }

  /** A ticker's rolling figures come from the read side: loaded before the first one is due. */
  async prepare(subscriptions: readonly PushSubscription[]): Promise<void> {
    const asOf = this.options.reader.engine.lastSequence;
    await Promise.all(subscriptions.filter(({ channel }) => channel === 'ticker').map(({ target }) => this.tickerStats.ensure(target, asOf)));
  }

  applied(outcomes: readonly CommandOutcome[], feed: PushFeed): void {
    if (feed.clientCount === 0) return;
    for (const outcome of outcomes) {
      const time = isoTime(outcome.timestamp);
      for (const event of outcome.events) this.route(event, outcome.sequence, time, feed);
      if (this.followed.size > 0 && outcome.events.some((event) => this.concernsFollowed(event))) this.sendOrders(outcome, feed);
    }
  }

  /** The read side stored these trades: the tickers' rolling figures are re-read from it. */
  candles(candles: readonly Candle[]): void {
    for (const candle of candles) {
      if (candle.granularity !== 60) continue;
      this.tickerStats.refresh(candle.productId, candle.lastSequence).catch((error: unknown) => this.options.logger.warn({ err: error }, 'ticker statistics failed'));
    }
  }

  /** The tickers start with the product's figures as they are; the order channel starts following the user's orders. */
  subscribed(subscription: PushSubscription, client: PushClient): void {
    if (subscription.channel === 'ticker') {
      void this.tickerOf(subscription.target, this.options.reader.engine.lastSequence)
        .then((ticker) => ticker !== null && client.reply(subscription, ticker))
        .catch((error: unknown) => this.options.logger.warn({ err: error, productId: subscription.target }, 'ticker statistics failed'));
      return;
    }
    if (subscription.channel !== ORDER) return;
    const userId = client.userId!;
    const count = this.followed.get(userId) ?? 0;
    this.followed.set(userId, count + 1);
    if (count > 0) return;
    // Subscriptions start at the engine state of this moment: the open orders are where the fold starts.
    const { engine } = this.options.reader;
    for (const open of engine.openOrders(userId)) this.orders.set(open.orderId, { ...this.options.views.open(open), lastSequence: engine.lastSequence });
  }

  unsubscribed(subscription: PushSubscription, client: PushClient): void {
    if (subscription.channel !== ORDER) return;
    const userId = client.userId!;
    const count = (this.followed.get(userId) ?? 0) - 1;
    if (count > 0) return void this.followed.set(userId, count);
    this.followed.delete(userId);
    for (const [id, order] of this.orders) if (order.userId === userId) this.orders.delete(id);
  }

  private route(event: ExchangeEvent, sequence: number, time: string, feed: PushFeed): void {
    const { formatter } = this.options;
    switch (event.type) {
      case 'l2update': {
        const { changes } = formatter.event(event) as Extract<DecimalEvent, { type: 'l2update' }>;
        const update = { type: 'l2update', productId: event.productId, sequence: event.bookSequence, time, changes: changes.map(([side, price, size]) => [side, canonicalDecimal(price), size]) };
        return feed.bookUpdate('level2', event.productId, event.bookSequence, event.bookSequence, update);
      }
      case 'match': {
        const match = formatter.event(event) as Extract<DecimalEvent, { type: 'match' }>;
        this.tickerStats.trade(event.productId, sequence, match.price, match.size);
        if (feed.anySubscribed('ticker')) this.sendTicker(match, sequence, time, feed);
        return feed.send('match', event.productId, sequence, {
          type: 'match',
          productId: match.productId,
          tradeId: match.tradeId,
          sequence,
          time,
          price: match.price,
          size: match.size,
          side: match.side,
          makerOrderId: match.makerOrderId,
          takerOrderId: match.takerOrderId,
        });
      }
      case 'balance': {
        const balance = formatter.event(event) as Extract<DecimalEvent, { type: 'balance' }>;
        return feed.sendPrivate(FUNDS, event.userId, event.currency, sequence, {
          type: 'funds',
          currencyCode: balance.currency,
          available: balance.available,
          hold: balance.hold,
          sequence,
          time,
        });
      }
      default:
        return; // Order events reach their owner as snapshots (`sendOrders`).
    }
  }

  /** Each followed user's order the outcome changed, as a whole snapshot after it; done orders are then forgotten. */
  private sendOrders(outcome: CommandOutcome, feed: PushFeed): void {
    const changed = new Set<OrderRecord>();
    this.options.views.fold(outcome, this.orders, changed, []);
    for (const order of changed) {
      const followed = this.followed.has(order.userId);
      if (followed) feed.sendPrivate(ORDER, order.userId, order.productId, outcome.sequence, { ...orderJson(order), type: 'order' });
      if (!followed || order.status === 'done') this.orders.delete(order.id);
    }
  }

  private concernsFollowed(event: ExchangeEvent): boolean {
    switch (event.type) {
      case 'received':
      case 'done':
      case 'change':
        return this.followed.has(event.userId);
      case 'match':
        return this.followed.has(event.makerUserId) || this.followed.has(event.takerUserId);
      default:
        return false;
    }
  }

  /** The trade's ticker: its price, and the rolling figures with the trade folded in. */
  private sendTicker(match: Extract<DecimalEvent, { type: 'match' }>, sequence: number, time: string, feed: PushFeed): void {
    const stats = this.tickerStats.current(match.productId);
    feed.send('ticker', match.productId, sequence, {
      type: 'ticker',
      productId: match.productId,
      sequence,
      time,
      price: match.price,
      side: match.side,
      lastSize: match.size,
      open24h: stats?.open ?? match.price,
      high24h: stats?.high ?? match.price,
      low24h: stats?.low ?? match.price,
      volume24h: stats?.volume ?? match.size,
      volume30d: stats?.volume30d ?? match.size,
    });
  }

  /**
   * A subscription's first ticker, from the read side's rolling 24 h statistics: the last
   * price, and the page's 24 h change and volume; none for a product that never traded (a
   * zero open would be a NaN change).
   */
  private async tickerOf(productId: string, sequence: number): Promise<object | null> {
    const stats = await this.options.stats.stats24h(productId);
    if (Number(stats.last) === 0) return null;
    return {
      type: 'ticker',
      productId,
      sequence,
      time: isoTime(Date.now()),
      price: stats.last,
      open24h: stats.open,
      high24h: stats.high,
      low24h: stats.low,
      volume24h: stats.volume,
    };
  }
}

/**
 * The page appends `token: localStorage["access-token"] || ""` to every message: empty
 * before sign-in, stale after its session ended. A token that does not authenticate falls
 * back to what the upgrade request carried (the `accessToken` cookie), as if it were absent.
 */
export function withCookieFallback(authenticate: PushServerOptions['authenticate']): PushServerOptions['authenticate'] {
  return async (message, headers) => {
    const first = await authenticate(message, headers);
    if (first.ok || typeof message !== 'object' || message === null || !('token' in message)) return first;
    const { token: _unusable, ...withoutToken } = message as Record<string, unknown>;
    const fallback = await authenticate(withoutToken, headers);
    return fallback.ok ? fallback : first;
  };
}
