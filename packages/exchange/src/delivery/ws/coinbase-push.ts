import type { CommandOutcome, DecimalEvent, ExchangeEvent } from '@sd/domain/exchange/event';
import type { Candle } from '@sd/domain/exchange/market-data';
import type { Logger } from '@sd/domain/logger';
import type { ProductCatalog } from '../../usecase/core/catalog/product-catalog';
import type { EngineReader } from '../../usecase/core/engine/engine-reader';
import type { EventFormatter } from '../../usecase/core/money/event-format';
import { isoTime } from '../http/api-format';
import { byChannel, parseChannels, type DecimalBook, type PushDialect, type PushFeed, type PushRequest, type PushSubscription } from './push-server';
import { TickerStats, type RollingStatsSource } from './ticker-stats';

const PUBLIC = ['heartbeat', 'ticker', 'level2', 'level2_batch', 'matches', 'full', 'candles'] as const;
const PRIVATE = ['user', 'funds'] as const;
const CHANNELS: readonly string[] = [...PUBLIC, ...PRIVATE];

export interface CoinbasePushOptions {
  catalog: ProductCatalog;
  reader: EngineReader;
  formatter: EventFormatter;
  /** The read side's rolling stats, for the ticker's 24 h and 30 d figures. */
  stats: RollingStatsSource;
  logger: Logger;
  /** How often `level2_batch` sends what changed. Default 50 ms, as Coinbase. */
  batchMs?: number;
}

/** Which kinds of event any client takes now. */
interface Wanted {
  level2: boolean;
  orders: boolean;
  trades: boolean;
  funds: boolean;
}

/** Level-2 changes of one product since the last batch: the latest size per side and price. */
interface BookBatch {
  first: number;
  last: number;
  changes: Map<string, [string, string, string]>;
}

/**
 * Coinbase Exchange's WebSocket feed: `heartbeat`, `ticker` (with the rolling 24 h and 30 d
 * figures), `level2` and `level2_batch`, `matches`, `full` (every order event, level 3),
 * `candles` (60 s) and, signed in, `user` (the caller's order events and both sides of their
 * trades) and `funds`; snake_case fields, decimal strings at the currencies' scales.
 */
export class CoinbasePush implements PushDialect {
  readonly bookChannels: ReadonlySet<string> = new Set(['level2', 'level2_batch']);
  readonly privateChannels: ReadonlySet<string> = new Set(PRIVATE);
  readonly unauthenticated = 'refuse';
  readonly reauthenticate = false;
  private readonly lastTradeId = new Map<string, number>();
  private readonly tickerStats: TickerStats;
  private readonly batches = new Map<string, BookBatch>();
  private batcher: NodeJS.Timeout | null = null;

  constructor(private readonly options: CoinbasePushOptions) {
    this.tickerStats = new TickerStats(options.catalog, options.stats);
  }

  parse(message: Record<string, unknown>): PushRequest | string {
    const subscriptions = parseChannels(
      message,
      (name) => CHANNELS.includes(name),
      (id) => this.options.catalog.product(id) !== undefined,
      // Balances are not per product; the user channel without products follows all of them.
      (name, ids) => (name === 'funds' || (name === 'user' && ids.length === 0) ? ['*'] : ids),
    );
    return typeof subscriptions === 'string' ? subscriptions : { type: message.type as PushRequest['type'], subscriptions };
  }

  describe(subscriptions: readonly PushSubscription[]): object {
    return { type: 'subscriptions', channels: byChannel(subscriptions).map(([name, product_ids]) => ({ name, product_ids })) };
  }

  snapshot(book: DecimalBook): object {
    return {
      type: 'snapshot',
      product_id: book.productId,
      sequence: book.bookSequence,
      bids: book.bids.map(([price, size]) => [price, size]),
      asks: book.asks.map(([price, size]) => [price, size]),
    };
  }

  start(feed: PushFeed): void {
    this.batcher = setInterval(() => this.flushBatches(feed), this.options.batchMs ?? 50);
    this.batcher.unref();
  }

  close(): void {
    if (this.batcher !== null) clearInterval(this.batcher);
  }

  /** A ticker shows rolling figures from the read side: loaded before the first one is due. */
  async prepare(subscriptions: readonly PushSubscription[]): Promise<void> {
    const asOf = this.options.reader.engine.lastSequence;
    await Promise.all(subscriptions.filter(({ channel }) => channel === 'ticker').map(({ target }) => this.tickerStats.ensure(target, asOf)));
  }

  /**
   * Formats an event only for the channels someone takes: order entry keeps many sockets open
   * that subscribe to nothing, and formatting every event for them cost more than the orders.
   */
  applied(outcomes: readonly CommandOutcome[], feed: PushFeed): void {
    const wanted: Wanted = {
      level2: feed.anySubscribed('level2') || feed.anySubscribed('level2_batch'),
      orders: feed.anySubscribed('full') || feed.anySubscribed('user'),
      trades: feed.anySubscribed('matches') || feed.anySubscribed('full') || feed.anySubscribed('user') || feed.anySubscribed('ticker'),
      funds: feed.anySubscribed('funds'),
    };
    for (const outcome of outcomes) {
      let time: string | null = null;
      for (const event of outcome.events) {
        if (event.type === 'match') this.lastTradeId.set(event.productId, event.tradeId);
        if (!this.wants(event, wanted)) continue;
        this.route(event, outcome.sequence, (time ??= isoTime(outcome.timestamp)), feed);
      }
    }
  }

  private wants(event: ExchangeEvent, wanted: Wanted): boolean {
    switch (event.type) {
      case 'product':
        return false;
      case 'l2update':
        return wanted.level2;
      case 'match':
        // A ticker's rolling figures, once loaded, fold in every trade.
        return wanted.trades || this.tickerStats.follows(event.productId);
      case 'balance':
        return wanted.funds;
      default:
        return wanted.orders;
    }
  }

  /** The 60 s candles the read side stored, to the `candles` subscribers: `[time, low, high, open, close, volume]`. */
  candles(candles: readonly Candle[], feed: PushFeed): void {
    for (const candle of candles) {
      if (candle.granularity !== 60) continue;
      // The read side has these trades now: the ticker's rolling figures are re-read from it.
      this.tickerStats.refresh(candle.productId, candle.lastSequence).catch((error: unknown) => this.options.logger.error({ err: error }, 'ticker stats failed'));
      feed.send('candles', candle.productId, candle.lastSequence, {
        type: 'candles',
        product_id: candle.productId,
        sequence: candle.lastSequence,
        granularity: 60,
        candle: [candle.time, candle.low, candle.high, candle.open, candle.close, candle.volume],
      });
    }
  }

  beat(feed: PushFeed, time: string): void {
    feed.replyPerSubscription('heartbeat', (productId) => ({
      type: 'heartbeat',
      product_id: productId,
      sequence: this.options.reader.engine.level2(productId, 0)?.bookSequence ?? 0,
      last_trade_id: this.lastTradeId.get(productId) ?? 0,
      time,
    }));
  }

  private route(event: ExchangeEvent, sequence: number, time: string, feed: PushFeed): void {
    const { formatter } = this.options;
    switch (event.type) {
      case 'product':
        return; // The engine's catalog, which this server reads, already has it.
      case 'l2update': {
        const { changes } = formatter.event(event) as Extract<DecimalEvent, { type: 'l2update' }>;
        this.batch(feed, event.productId, event.bookSequence, changes);
        const update = { type: 'l2update', product_id: event.productId, sequence: event.bookSequence, changes, time };
        return feed.bookUpdate('level2', event.productId, event.bookSequence, event.bookSequence, update);
      }
      case 'match': {
        const match = formatter.event(event) as Extract<DecimalEvent, { type: 'match' }>;
        const frame = {
          type: 'match',
          product_id: match.productId,
          trade_id: match.tradeId,
          maker_order_id: match.makerOrderId,
          taker_order_id: match.takerOrderId,
          side: match.side,
          price: match.price,
          size: match.size,
          sequence,
          time,
        };
        feed.send('matches', event.productId, sequence, frame);
        feed.send('full', event.productId, sequence, frame);
        feed.sendPrivate('user', event.makerUserId, event.productId, sequence, { ...frame, user_id: event.makerUserId, fee: match.makerFee, liquidity: 'M' });
        feed.sendPrivate('user', event.takerUserId, event.productId, sequence, { ...frame, user_id: event.takerUserId, fee: match.takerFee, liquidity: 'T' });
        this.tickerStats.trade(event.productId, sequence, match.price, match.size);
        if (feed.anySubscribed('ticker')) this.sendTicker(match, sequence, time, feed);
        return;
      }
      case 'balance': {
        const balance = formatter.event(event) as Extract<DecimalEvent, { type: 'balance' }>;
        return feed.sendPrivate('funds', event.userId, '*', sequence, {
          type: 'funds',
          currency: balance.currency,
          available: balance.available,
          hold: balance.hold,
          sequence,
          time,
        });
      }
      default: {
        const order = formatter.event(event) as OrderEvent;
        feed.send('full', event.productId, sequence, fullFrame(order, sequence, time));
        return feed.sendPrivate('user', event.userId, event.productId, sequence, { ...snakeCase(order), sequence, time });
      }
    }
  }

  /** Adds level-2 changes to the product's pending batch, when anyone takes `level2_batch`. */
  private batch(feed: PushFeed, productId: string, sequence: number, changes: ReadonlyArray<[string, string, string]>): void {
    if (!feed.anySubscribed('level2_batch')) return;
    let batch = this.batches.get(productId);
    if (batch === undefined) this.batches.set(productId, (batch = { first: sequence, last: sequence, changes: new Map() }));
    batch.last = sequence;
    for (const change of changes) batch.changes.set(`${change[0]} ${change[1]}`, change);
  }

  /** Every 50 ms: each product's changes since the last batch, one l2update with the latest size per level. */
  private flushBatches(feed: PushFeed): void {
    if (this.batches.size === 0) return;
    const time = isoTime(Date.now());
    for (const [productId, { first, last, changes }] of this.batches) {
      feed.bookUpdate('level2_batch', productId, first, last, { type: 'l2update', product_id: productId, sequence: last, changes: [...changes.values()], time });
    }
    this.batches.clear();
  }

  private sendTicker(match: Extract<DecimalEvent, { type: 'match' }>, sequence: number, time: string, feed: PushFeed): void {
    const { reader, formatter } = this.options;
    const view = reader.engine.level2(match.productId, 1);
    const top = view === null ? null : formatter.level2(view);
    const stats = this.tickerStats.current(match.productId);
    feed.send('ticker', match.productId, sequence, {
      type: 'ticker',
      product_id: match.productId,
      sequence,
      trade_id: match.tradeId,
      price: match.price,
      open_24h: stats?.open ?? match.price,
      volume_24h: stats?.volume ?? match.size,
      low_24h: stats?.low ?? match.price,
      high_24h: stats?.high ?? match.price,
      volume_30d: stats?.volume30d ?? match.size,
      best_bid: top?.bids[0]?.[0] ?? null,
      best_bid_size: top?.bids[0]?.[1] ?? null,
      best_ask: top?.asks[0]?.[0] ?? null,
      best_ask_size: top?.asks[0]?.[1] ?? null,
      side: match.side,
      last_size: match.size,
      time,
    });
  }
}

type OrderEvent = Extract<DecimalEvent, { type: 'received' | 'open' | 'done' | 'change' }>;

/**
 * An order event as the `full` channel shows it (Coinbase's level-3 feed): every order of the
 * product, without its owner. Amounts a market order lacks are left out, as Coinbase does.
 */
function fullFrame(event: OrderEvent, sequence: number, time: string): Record<string, unknown> {
  const base = { type: event.type, product_id: event.productId, sequence, order_id: event.orderId, side: event.side, time };
  switch (event.type) {
    case 'received':
      return { ...base, order_type: event.orderType, ...present({ price: event.price, size: event.size, funds: event.funds }) };
    case 'open':
      return { ...base, price: event.price, remaining_size: event.remainingSize };
    case 'done':
      return { ...base, reason: event.reason, ...present({ price: event.price, remaining_size: event.remainingSize }) };
    case 'change':
      return { ...base, reason: 'STP', price: event.price, old_size: event.oldSize, new_size: event.newSize };
  }
}

/** The fields that have a value. */
function present(fields: Record<string, string | null>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== null));
}

/** Coinbase's field names for an order event (`orderId` → `order_id`). */
function snakeCase(event: DecimalEvent): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) out[key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = value;
  return out;
}
