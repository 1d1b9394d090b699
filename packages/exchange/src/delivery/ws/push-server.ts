import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { WebSocket, WebSocketServer } from 'ws';
import type { DomainError } from '@sd/domain/errors';
import type { CommandOutcome, DecimalEvent, ExchangeEvent } from '@sd/domain/exchange/event';
import type { Candle } from '@sd/domain/exchange/market-data';
import type { Logger } from '@sd/domain/logger';
import type { ProductCatalog } from '../../usecase/core/catalog/product-catalog';
import type { EventFormatter } from '../../usecase/core/money/event-format';
import type { EngineReader } from '../../usecase/core/engine/engine-reader';
import { isoTime } from '../http/api-format';
import { TickerStats, type RollingStatsSource } from './ticker-stats';

export type PushAuthentication = { ok: true; userId: string } | { ok: false; error: DomainError };

export interface PushServerOptions {
  wss: WebSocketServer;
  catalog: ProductCatalog;
  reader: EngineReader;
  formatter: EventFormatter;
  logger: Logger;
  /** Authenticates a subscribe message (signature or token fields) or the upgrade request. */
  authenticate: (message: unknown, headers: IncomingHttpHeaders) => Promise<PushAuthentication>;
  /** A client whose unsent bytes exceed this is closed with 1013. Default 1 MiB. */
  maxBufferedBytes?: number;
  heartbeatMs?: number;
  /** Largest client frame; bigger ones are refused by ws itself. Default 16 KiB. */
  maxFrameBytes?: number;
  /** The read side's rolling stats, for the ticker's 24 h and 30 d figures. */
  stats: RollingStatsSource;
  /** How often `level2_batch` sends what changed. Default 50 ms, as Coinbase. */
  batchMs?: number;
}

const PUBLIC = ['heartbeat', 'ticker', 'level2', 'level2_batch', 'matches', 'full', 'candles'] as const;
const PRIVATE = ['user', 'funds'] as const;
type Channel = (typeof PUBLIC)[number] | (typeof PRIVATE)[number];
const CHANNELS: readonly string[] = [...PUBLIC, ...PRIVATE];
const TRY_AGAIN_LATER = 1013;

interface Client {
  socket: WebSocket;
  headers: IncomingHttpHeaders;
  userId: string | null;
  /**
   * `${channel} ${productId}` → the engine sequence the client's view starts after: it is
   * sent only what happens later, so never an event twice nor one older than its snapshot.
   */
  subscriptions: Map<string, number>;
  /** Per product, the level-2 sequence this client has seen up to (`level2` and `level2_batch` alike). */
  bookSequence: Map<string, number>;
}

/** Level-2 changes of one product since the last batch: the latest size per side and price. */
interface BookBatch {
  first: number;
  last: number;
  changes: Map<string, [string, string, string]>;
}

/**
 * The WebSocket feed at `/ws`, Coinbase style. Fed from one source, the engine state this
 * process reads (`EngineReader`): its live stream of applied outcomes, and its books for
 * level-2 snapshots, so every subscription starts at a sequence and carries what follows
 * it. Candles come from the read side, which tells push what it stored (`publishCandles`).
 * Never waits for a client: one that falls behind is dropped and reconnects.
 */
export class PushServer {
  private readonly clients = new Set<Client>();
  private readonly maxBuffered: number;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly lastTradeId = new Map<string, number>();
  private readonly unsubscribe: () => void;
  private readonly tickerStats: TickerStats;
  private readonly batches = new Map<string, BookBatch>();
  private readonly batcher: NodeJS.Timeout;

  constructor(private readonly options: PushServerOptions) {
    this.maxBuffered = options.maxBufferedBytes ?? 1 << 20;
    this.tickerStats = new TickerStats(options.catalog, options.stats);
    options.wss.on('connection', (socket: WebSocket, request: IncomingMessage) => this.connect(socket, request));
    this.heartbeat = setInterval(() => this.beat(), options.heartbeatMs ?? 1000);
    this.heartbeat.unref();
    this.batcher = setInterval(() => this.flushBatches(), options.batchMs ?? 50);
    this.batcher.unref();
    this.unsubscribe = options.reader.onApplied((outcomes) => this.publish(outcomes));
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** The 60 s candles the read side stored, to the `candles` subscribers: `[time, low, high, open, close, volume]`. */
  publishCandles(candles: readonly Candle[]): void {
    for (const candle of candles) {
      if (candle.granularity !== 60) continue;
      // The read side has these trades now: the ticker's rolling figures are re-read from it.
      this.tickerStats.refresh(candle.productId, candle.lastSequence).catch((error: unknown) => this.options.logger.error({ err: error }, 'ticker stats failed'));
      this.send('candles', candle.productId, candle.lastSequence, {
        type: 'candles',
        product_id: candle.productId,
        sequence: candle.lastSequence,
        granularity: 60,
        candle: [candle.time, candle.low, candle.high, candle.open, candle.close, candle.volume],
      });
    }
  }

  close(): void {
    this.unsubscribe();
    clearInterval(this.heartbeat);
    clearInterval(this.batcher);
    for (const client of this.clients) client.socket.close(1001, 'server shutting down');
  }

  /** What a batch of applied outcomes changed, to the clients subscribed to it. */
  private publish(outcomes: readonly CommandOutcome[]): void {
    if (this.clients.size > 0) {
      for (const outcome of outcomes) for (const event of outcome.events) this.route(event, outcome.sequence, outcome.timestamp);
    } else {
      for (const outcome of outcomes) for (const event of outcome.events) if (event.type === 'match') this.lastTradeId.set(event.productId, event.tradeId);
    }
  }

  private connect(socket: WebSocket, request: IncomingMessage): void {
    const client: Client = { socket, headers: request.headers, userId: null, subscriptions: new Map(), bookSequence: new Map() };
    this.clients.add(client);
    socket.on('close', () => this.clients.delete(client));
    socket.on('error', () => socket.terminate());
    socket.on('message', (data, isBinary) => {
      void this.receive(client, isBinary ? null : data.toString()).catch((error: unknown) => {
        this.options.logger.error({ err: error }, 'websocket message failed');
        this.reply(client, { type: 'error', message: 'internal error', code: 'INTERNAL' });
      });
    });
  }

  private async receive(client: Client, text: string | null): Promise<void> {
    let message: unknown;
    try {
      message = text === null ? undefined : JSON.parse(text);
    } catch {
      message = undefined;
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      return this.reply(client, { type: 'error', message: 'a message must be a JSON object', code: 'WS.MALFORMED' });
    }
    const { type } = message as { type?: unknown };
    if (type !== 'subscribe' && type !== 'unsubscribe') {
      return this.reply(client, { type: 'error', message: 'type must be subscribe or unsubscribe', code: 'WS.UNKNOWN_TYPE' });
    }
    const wanted = this.parseChannels(message as Record<string, unknown>);
    if (typeof wanted === 'string') return this.reply(client, { type: 'error', message: wanted, code: 'WS.INVALID_SUBSCRIPTION' });

    if (type === 'subscribe') {
      if (wanted.some(([channel]) => (PRIVATE as readonly string[]).includes(channel)) && client.userId === null) {
        const auth = await this.options.authenticate(message, client.headers);
        if (!auth.ok) return this.reply(client, { type: 'error', message: auth.error.message, code: auth.error.code });
        client.userId = auth.userId;
      }
      const books = wanted.filter(([channel]) => isBook(channel)).map(([channel, productId]) => `${channel} ${productId}`);
      const twice = books.some((key) => {
        const [channel, productId] = key.split(' ') as [Channel, string];
        const other = `${channel === 'level2' ? 'level2_batch' : 'level2'} ${productId}`;
        return books.includes(other) || client.subscriptions.has(other);
      });
      if (twice) return this.reply(client, { type: 'error', message: 'subscribe to level2 or level2_batch of a product, not both', code: 'WS.INVALID_SUBSCRIPTION' });
      // Everything the engine state holds now is what the client starts from.
      const from = this.options.reader.engine.lastSequence;
      // A ticker shows rolling figures from the read side: loaded before the first one is due.
      await Promise.all(wanted.filter(([channel]) => channel === 'ticker').map(([, productId]) => this.tickerStats.ensure(productId, from)));
      for (const [channel, productId] of wanted) {
        const key = `${channel} ${productId}`;
        if (client.subscriptions.has(key)) continue;
        client.subscriptions.set(key, from);
        if (isBook(channel)) this.sendSnapshot(client, productId);
      }
    } else {
      for (const [channel, productId] of wanted) {
        client.subscriptions.delete(`${channel} ${productId}`);
        if (isBook(channel)) client.bookSequence.delete(productId);
      }
    }
    this.reply(client, { type: 'subscriptions', channels: this.describe(client) });
  }

  /** `[channel, productId]` pairs of a (un)subscribe message, or what is wrong with it. */
  private parseChannels(message: Record<string, unknown>): Array<[Channel, string]> | string {
    const products = message.product_ids ?? [];
    if (!Array.isArray(products) || !products.every((id) => typeof id === 'string')) return 'product_ids must be an array of product ids';
    const unknown = (products as string[]).find((id) => this.options.catalog.product(id) === undefined);
    if (unknown !== undefined) return `unknown product ${unknown.slice(0, 32)}`;
    if (!Array.isArray(message.channels) || message.channels.length === 0) return 'channels must be a non-empty array';
    const pairs: Array<[Channel, string]> = [];
    for (const entry of message.channels as unknown[]) {
      const name = typeof entry === 'string' ? entry : (entry as { name?: unknown } | null)?.name;
      const ids = typeof entry === 'string' ? products : (entry as { product_ids?: unknown }).product_ids ?? products;
      if (typeof name !== 'string' || !CHANNELS.includes(name)) return `unknown channel ${String(name).slice(0, 32)}`;
      if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string' && this.options.catalog.product(id) !== undefined)) {
        return `channel ${name}: product_ids must name known products`;
      }
      // Balances are not per product; the user channel without products follows all of them.
      const targets = name === 'funds' || (name === 'user' && ids.length === 0) ? ['*'] : (ids as string[]);
      if (targets.length === 0) return `channel ${name} needs product_ids`;
      for (const productId of targets) pairs.push([name as Channel, productId]);
    }
    return pairs;
  }

  private describe(client: Client): Array<{ name: string; product_ids: string[] }> {
    const byChannel = new Map<string, string[]>();
    for (const key of client.subscriptions.keys()) {
      const [channel, productId] = key.split(' ') as [string, string];
      byChannel.set(channel, [...(byChannel.get(channel) ?? []), productId]);
    }
    return [...byChannel].map(([name, product_ids]) => ({ name, product_ids }));
  }

  private sendSnapshot(client: Client, productId: string): void {
    const view = this.options.reader.engine.level2(productId);
    if (view === null) return;
    const book = this.options.formatter.level2(view);
    client.bookSequence.set(productId, book.bookSequence);
    this.reply(client, {
      type: 'snapshot',
      product_id: productId,
      sequence: book.bookSequence,
      bids: book.bids.map(([price, size]) => [price, size]),
      asks: book.asks.map(([price, size]) => [price, size]),
    });
  }

  private route(event: ExchangeEvent, sequence: number, timestamp: number): void {
    const time = isoTime(timestamp);
    switch (event.type) {
      case 'product':
        return; // The engine's catalog, which this server reads, already has it.
      case 'l2update': {
        const update = this.options.formatter.event(event) as Extract<DecimalEvent, { type: 'l2update' }>;
        this.batch(event.productId, event.bookSequence, update.changes);
        return this.sendBookUpdate(event.productId, event.bookSequence, update.changes, time);
      }
      case 'match': {
        this.lastTradeId.set(event.productId, event.tradeId);
        const match = this.options.formatter.event(event) as Extract<DecimalEvent, { type: 'match' }>;
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
        this.send('matches', event.productId, sequence, frame);
        this.send('full', event.productId, sequence, frame);
        this.sendPrivate('user', event.makerUserId, event.productId, sequence, { ...frame, user_id: event.makerUserId, fee: match.makerFee, liquidity: 'M' });
        this.sendPrivate('user', event.takerUserId, event.productId, sequence, { ...frame, user_id: event.takerUserId, fee: match.takerFee, liquidity: 'T' });
        this.tickerStats.trade(event.productId, sequence, match.price, match.size);
        if (this.anySubscribed('ticker')) this.sendTicker(match, sequence, time);
        return;
      }
      case 'balance': {
        const balance = this.options.formatter.event(event) as Extract<DecimalEvent, { type: 'balance' }>;
        return this.sendPrivate('funds', event.userId, '*', sequence, {
          type: 'funds',
          currency: balance.currency,
          available: balance.available,
          hold: balance.hold,
          sequence,
          time,
        });
      }
      default: {
        const order = this.options.formatter.event(event) as OrderEvent;
        this.send('full', event.productId, sequence, fullFrame(order, sequence, time));
        return this.sendPrivate('user', event.userId, event.productId, sequence, { ...snakeCase(order), sequence, time });
      }
    }
  }

  private sendBookUpdate(productId: string, sequence: number, changes: Array<[string, string, string]>, time: string): void {
    this.sendBook('level2', productId, sequence, sequence, JSON.stringify({ type: 'l2update', product_id: productId, sequence, changes, time }));
  }

  /** An update covering book sequences `first..last`, to each `channel` subscriber whose view it continues; one with a gap gets a new snapshot. */
  private sendBook(channel: 'level2' | 'level2_batch', productId: string, first: number, last: number, frame: string): void {
    const key = `${channel} ${productId}`;
    for (const client of this.clients) {
      if (!client.subscriptions.has(key)) continue;
      const seen = client.bookSequence.get(productId) ?? 0;
      if (last <= seen) continue; // already in the snapshot it got
      if (first <= seen + 1) {
        client.bookSequence.set(productId, last);
        this.write(client, frame);
      } else {
        this.sendSnapshot(client, productId); // a gap: start over from the book as it is now
      }
    }
  }

  /** Adds level-2 changes to the product's pending batch, when anyone takes `level2_batch`. */
  private batch(productId: string, sequence: number, changes: ReadonlyArray<[string, string, string]>): void {
    if (!this.anySubscribed('level2_batch')) return;
    let batch = this.batches.get(productId);
    if (batch === undefined) this.batches.set(productId, (batch = { first: sequence, last: sequence, changes: new Map() }));
    batch.last = sequence;
    for (const change of changes) batch.changes.set(`${change[0]} ${change[1]}`, change);
  }

  /** Every 50 ms: each product's changes since the last batch, one l2update with the latest size per level. */
  private flushBatches(): void {
    if (this.batches.size === 0) return;
    const time = isoTime(Date.now());
    for (const [productId, { first, last, changes }] of this.batches) {
      const frame = JSON.stringify({ type: 'l2update', product_id: productId, sequence: last, changes: [...changes.values()], time });
      this.sendBook('level2_batch', productId, first, last, frame);
    }
    this.batches.clear();
  }


  private sendTicker(match: Extract<DecimalEvent, { type: 'match' }>, sequence: number, time: string): void {
    const view = this.options.reader.engine.level2(match.productId, 1);
    const top = view === null ? null : this.options.formatter.level2(view);
    const stats = this.tickerStats.current(match.productId);
    this.send('ticker', match.productId, sequence, {
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

  private beat(): void {
    const time = isoTime(Date.now());
    for (const client of this.clients) {
      for (const key of client.subscriptions.keys()) {
        if (!key.startsWith('heartbeat ')) continue;
        const productId = key.slice('heartbeat '.length);
        const book = this.options.reader.engine.level2(productId, 0);
        this.reply(client, {
          type: 'heartbeat',
          product_id: productId,
          sequence: book?.bookSequence ?? 0,
          last_trade_id: this.lastTradeId.get(productId) ?? 0,
          time,
        });
      }
    }
  }

  private anySubscribed(channel: Channel): boolean {
    for (const client of this.clients) for (const key of client.subscriptions.keys()) if (key.startsWith(`${channel} `)) return true;
    return false;
  }

  /** `message` (at `sequence`) to the clients whose subscription to the channel started before it. */
  private send(channel: Channel, productId: string, sequence: number, message: object): void {
    const key = `${channel} ${productId}`;
    let frame: string | null = null;
    for (const client of this.clients) {
      if (after(client.subscriptions.get(key), sequence)) this.write(client, (frame ??= JSON.stringify(message)));
    }
  }

  private sendPrivate(channel: Channel, userId: string, productId: string, sequence: number, message: object): void {
    let frame: string | null = null;
    for (const client of this.clients) {
      if (client.userId !== userId) continue;
      if (after(client.subscriptions.get(`${channel} ${productId}`), sequence) || after(client.subscriptions.get(`${channel} *`), sequence)) {
        this.write(client, (frame ??= JSON.stringify(message)));
      }
    }
  }

  private reply(client: Client, message: object): void {
    this.write(client, JSON.stringify(message));
  }

  private write(client: Client, frame: string): void {
    if (client.socket.readyState !== client.socket.OPEN) return;
    if (client.socket.bufferedAmount > this.maxBuffered) {
      this.clients.delete(client);
      client.socket.close(TRY_AGAIN_LATER, 'too slow: reconnect and subscribe again');
      return;
    }
    client.socket.send(frame);
  }
}

/** Whether a subscription that started after `from` (undefined: none) is owed an event at `sequence`. */
const after = (from: number | undefined, sequence: number): boolean => from !== undefined && sequence > from;

/** `level2` and `level2_batch` share a client's view of a book (`Client.bookSequence`): one of them per product. */
const isBook = (channel: Channel): channel is 'level2' | 'level2_batch' => channel === 'level2' || channel === 'level2_batch';

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
