import type { OrderSide } from '@sd/domain/exchange/command';
import type { CommandOutcome, DecimalEvent, ExchangeEvent } from '@sd/domain/exchange/event';
import type { Candle } from '@sd/domain/exchange/market-data';
import type { ProductCatalog } from '../../usecase/core/catalog/product-catalog';
import type { EngineReader } from '../../usecase/core/engine/engine-reader';
import type { EventFormatter } from '../../usecase/core/money/event-format';
import { isoTime } from '../http/api-format';
import { byChannel, parseChannels, type DecimalBook, type PushDialect, type PushFeed, type PushRequest, type PushSubscription } from './push-server';

const PUBLIC = ['heartbeat', 'ticker', 'level2', 'matches', 'candles'] as const;
const PRIVATE = ['user', 'funds'] as const;
const CHANNELS: readonly string[] = [...PUBLIC, ...PRIVATE];

/**
 * Coinbase Exchange's WebSocket feed: `heartbeat`, `ticker`, `level2`, `matches`, `candles`
 * (60 s) and, signed in, `user` (the caller's order events and both sides of their trades)
 * and `funds`; snake_case fields, decimal strings at the currencies' scales.
 */
export class CoinbasePush implements PushDialect {
  readonly bookChannel = 'level2';
  readonly privateChannels: ReadonlySet<string> = new Set(PRIVATE);
  readonly unauthenticated = 'refuse';
  readonly reauthenticate = false;
  private readonly lastTradeId = new Map<string, number>();

  constructor(
    private readonly catalog: ProductCatalog,
    private readonly reader: EngineReader,
    private readonly formatter: EventFormatter,
  ) {}

  parse(message: Record<string, unknown>): PushRequest | string {
    const subscriptions = parseChannels(
      message,
      (name) => CHANNELS.includes(name),
      (id) => this.catalog.product(id) !== undefined,
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

  l2update(productId: string, sequence: number, changes: Array<[OrderSide, string, string]>, time: string): object {
    return { type: 'l2update', product_id: productId, sequence, changes, time };
  }

  applied(outcomes: readonly CommandOutcome[], feed: PushFeed): void {
    if (feed.clientCount > 0) {
      for (const outcome of outcomes) for (const event of outcome.events) this.route(event, outcome.sequence, isoTime(outcome.timestamp), feed);
    } else {
      for (const outcome of outcomes) for (const event of outcome.events) if (event.type === 'match') this.lastTradeId.set(event.productId, event.tradeId);
    }
  }

  /** The 60 s candles the read side stored, to the `candles` subscribers: `[time, low, high, open, close, volume]`. */
  candles(candles: readonly Candle[], feed: PushFeed): void {
    for (const candle of candles) {
      if (candle.granularity !== 60) continue;
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
      sequence: this.reader.engine.level2(productId, 0)?.bookSequence ?? 0,
      last_trade_id: this.lastTradeId.get(productId) ?? 0,
      time,
    }));
  }

  private route(event: ExchangeEvent, sequence: number, time: string, feed: PushFeed): void {
    switch (event.type) {
      case 'product':
        return; // The engine's catalog, which this server reads, already has it.
      case 'l2update': {
        const { changes } = this.formatter.event(event) as Extract<DecimalEvent, { type: 'l2update' }>;
        return feed.bookUpdate(event.productId, event.bookSequence, changes, time);
      }
      case 'match': {
        this.lastTradeId.set(event.productId, event.tradeId);
        const match = this.formatter.event(event) as Extract<DecimalEvent, { type: 'match' }>;
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
        feed.sendPrivate('user', event.makerUserId, event.productId, sequence, { ...frame, user_id: event.makerUserId, fee: match.makerFee, liquidity: 'M' });
        feed.sendPrivate('user', event.takerUserId, event.productId, sequence, { ...frame, user_id: event.takerUserId, fee: match.takerFee, liquidity: 'T' });
        if (feed.anySubscribed('ticker')) this.sendTicker(match, sequence, time, feed);
        return;
      }
      case 'balance': {
        const balance = this.formatter.event(event) as Extract<DecimalEvent, { type: 'balance' }>;
        return feed.sendPrivate('funds', event.userId, '*', sequence, {
          type: 'funds',
          currency: balance.currency,
          available: balance.available,
          hold: balance.hold,
          sequence,
          time,
        });
      }
      default:
        return feed.sendPrivate('user', event.userId, event.productId, sequence, { ...snakeCase(this.formatter.event(event)), sequence, time });
    }
  }

  private sendTicker(match: Extract<DecimalEvent, { type: 'match' }>, sequence: number, time: string, feed: PushFeed): void {
    const view = this.reader.engine.level2(match.productId, 1);
    const top = view === null ? null : this.formatter.level2(view);
    feed.send('ticker', match.productId, sequence, {
      type: 'ticker',
      product_id: match.productId,
      sequence,
      trade_id: match.tradeId,
      price: match.price,
      last_size: match.size,
      side: match.side,
      best_bid: top?.bids[0]?.[0] ?? null,
      best_ask: top?.asks[0]?.[0] ?? null,
      time,
    });
  }
}

/** Coinbase's field names for an order event (`orderId` → `order_id`). */
function snakeCase(event: DecimalEvent): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) out[key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = value;
  return out;
}
