import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { WebSocket, WebSocketServer } from 'ws';
import type { Principal } from '@sd/domain/auth/principal';
import type { DomainError } from '@sd/domain/errors';
import type { CommandOutcome } from '@sd/domain/exchange/event';
import type { Candle } from '@sd/domain/exchange/market-data';
import type { Logger } from '@sd/domain/logger';
import type { BookView } from '../../usecase/core/engine/engine-views';
import type { EventFormatter } from '../../usecase/core/money/event-format';
import type { EngineReader } from '../../usecase/core/engine/engine-reader';

export type PushAuthentication = { ok: true; principal: Principal } | { ok: false; error: DomainError };

/** One subscription: a channel, as the dialect names it, and what it follows (a product id, a currency, or `*`). */
export interface PushSubscription {
  channel: string;
  target: string;
}

/** What a client's subscribe or unsubscribe message asks for. */
export interface PushRequest {
  type: 'subscribe' | 'unsubscribe';
  subscriptions: PushSubscription[];
}

/** A level-2 book as a snapshot shows it: `[price, size, order count]`, best first. */
export type DecimalBook = BookView<[string, string, number]>;

/**
 * What the server offers a dialect to route with: sends to the clients subscribed to a
 * channel and target whose subscription started before `sequence` (the engine sequence the
 * message reflects), so a client never gets an event twice nor one older than its snapshot.
 */
export interface PushFeed {
  readonly clientCount: number;
  send(channel: string, target: string, sequence: number, message: object): void;
  /** As `send`, only to `userId`'s clients; a subscription to `*` follows every target. */
  sendPrivate(channel: string, userId: string, target: string, sequence: number, message: object): void;
  /**
   * A level-2 update covering book sequences `first..last`, to the subscribers of the book
   * channel `channel` whose view it continues; one with a gap gets a fresh snapshot instead.
   */
  bookUpdate(channel: string, productId: string, first: number, last: number, message: object): void;
  /** Whether any client takes `channel` (constant time: a dialect asks before formatting an event). */
  anySubscribed(channel: string): boolean;
  /** `message(target)` to every client, once per target it subscribed to on `channel` (heartbeats). */
  replyPerSubscription(channel: string, message: (target: string) => object): void;
}

/**
 * A WebSocket protocol over the push server's mechanics: what clients call their channels
 * and how each message looks. The server owns connections, subscriptions and their engine
 * sequences, authentication, book snapshots and slow clients; a dialect only names and
 * formats, and routes what the engine applied to its channels.
 */
export interface PushDialect {
  /**
   * The level-2 channels: a snapshot on subscribe, then updates in book sequence. They share a
   * client's view of a product's book, so a client takes one of them per product.
   */
  readonly bookChannels: ReadonlySet<string>;
  /** Channels that need a signed-in user; a private subscription follows that user's own events. */
  readonly privateChannels: ReadonlySet<string>;
  /**
   * A subscribe naming a private channel without valid credentials: `refuse` answers an
   * error and subscribes nothing; `skip` answers an error and subscribes the public ones.
   */
  readonly unauthenticated: 'refuse' | 'skip';
  /**
   * `false`: a client authenticates once, on its first private subscribe. `true`: every
   * subscribe naming a private channel authenticates again, and a different user (or none)
   * ends the earlier user's private subscriptions (a page that signs out and in keeps its socket).
   */
  readonly reauthenticate: boolean;
  /** The subscriptions a message asks for, or what is wrong with it. */
  parse(message: Record<string, unknown>): PushRequest | string;
  /** The answer to every (un)subscribe: the client's subscriptions now. */
  describe(subscriptions: readonly PushSubscription[]): object;
  snapshot(book: DecimalBook): object;
  /** Given the server's feed once, before any client connects (a dialect that sends on its own timers keeps it). */
  start?(feed: PushFeed): void;
  /** What a batch of applied outcomes changed, to its channels (book updates through `feed.bookUpdate`). */
  applied(outcomes: readonly CommandOutcome[], feed: PushFeed): void;
  /** Loads what the subscriptions of a subscribe message need before they start (a ticker's figures). */
  prepare?(subscriptions: readonly PushSubscription[]): Promise<void>;
  /** Candles the read side stored. */
  candles?(candles: readonly Candle[], feed: PushFeed): void;
  /** Once a heartbeat period. */
  beat?(feed: PushFeed, time: string): void;
  /**
   * Told of each subscription a client gains, after any snapshot of it (a dialect may answer
   * one of its own through `client.reply`), and of each it loses (a closed socket loses all).
   */
  subscribed?(subscription: PushSubscription, client: PushClient): void;
  unsubscribed?(subscription: PushSubscription, client: PushClient): void;
  close?(): void;
}

/**
 * Messages beside subscribe and unsubscribe that ask for something to be done (order entry),
 * answered on the client's socket. The server parses each message once and hands it over.
 */
export interface PushRequests {
  /** The `type`s it answers. */
  readonly types: ReadonlySet<string>;
  /** Answers `message` (a parsed JSON object of one of `types`) through `client.send`; never throws. */
  handle(message: Record<string, unknown>, client: RequestingClient): void;
}

/** A client as a request handler sees it. */
export interface RequestingClient {
  /**
   * Who the connection is signed in as. One not signed in yet signs in with the message's
   * credentials (as a private subscribe does), else the upgrade request's; once signed in, a
   * connection keeps its principal.
   */
  principal(message: object): Promise<PushAuthentication>;
  /** A serialized answer; the answers of one tick leave in one write. */
  send(frame: string): void;
}

/** A client as a dialect's hooks see it. */
export interface PushClient {
  /** Who the client authenticated as; never null for a private subscription. */
  readonly userId: string | null;
  /** A message to this client alone, while it still holds `subscription` (a late answer to a client gone is dropped). */
  reply(subscription: PushSubscription, message: object): void;
}

export interface PushServerOptions {
  wss: WebSocketServer;
  reader: EngineReader;
  formatter: EventFormatter;
  dialect: PushDialect;
  logger: Logger;
  /** Authenticates a subscribe message (signature or token fields) or the upgrade request. */
  authenticate: (message: unknown, headers: IncomingHttpHeaders) => Promise<PushAuthentication>;
  /** A client whose unsent bytes exceed this is closed with 1013. Default 1 MiB. */
  maxBufferedBytes?: number;
  heartbeatMs?: number;
}

const TRY_AGAIN_LATER = 1013;

/**
 * A frame as written: a broadcast is encoded once for all its clients (a Buffer, so ws does not
 * encode the string again per client), an answer to one client stays a string.
 */
type Frame = string | Buffer;
const TEXT = { binary: false } as const;

interface Client {
  socket: WebSocket;
  /** The TCP socket under `socket`: corked while a tick's answers are written. */
  transport: Socket;
  headers: IncomingHttpHeaders;
  userId: string | null;
  principal: Principal | null;
  /** A request's sign-in under way. */
  signingIn: Promise<PushAuthentication> | null;
  /** Frames waiting for the end of the tick; null when none. */
  outbox: Frame[] | null;
  /** This client as request handlers see it, made on its first request. */
  requesting: RequestingClient | null;
  /**
   * `${channel} ${target}` → the engine sequence the client's view starts after: it is sent
   * only what happens later, so never an event twice nor one older than its snapshot.
   */
  subscriptions: Map<string, number>;
  /** Per product, the level-2 sequence this client has seen up to. */
  bookSequence: Map<string, number>;
}

/**
 * A WebSocket feed at `/ws`, in the protocol of its dialect (Coinbase's, gitbitex's). Fed
 * from one source, the engine state this process reads (`EngineReader`): its live stream of
 * applied outcomes, and its books for level-2 snapshots, so every subscription starts at a
 * sequence and carries what follows it. Candles come from the read side, which tells push
 * what it stored (`publishCandles`). Never waits for a client: one that falls behind is
 * dropped and reconnects.
 */
export class PushServer {
  private readonly clients = new Set<Client>();
  private readonly maxBuffered: number;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly unsubscribe: () => void;
  private readonly dialect: PushDialect;
  private readonly feed: PushFeed;
  private requests: PushRequests | null = null;
  /** Per channel, the subscriptions of connected clients: the dialect asks before formatting what nobody takes. */
  private readonly subscriptionCounts = new Map<string, number>();
  /** Clients with frames in their outbox; written once this tick's I/O is done. */
  private readonly unflushed = new Set<Client>();
  private flushScheduled = false;

  constructor(private readonly options: PushServerOptions) {
    this.maxBuffered = options.maxBufferedBytes ?? 1 << 20;
    this.dialect = options.dialect;
    const clients = this.clients;
    this.feed = {
      get clientCount() {
        return clients.size;
      },
      send: (channel, target, sequence, message) => this.send(`${channel} ${target}`, sequence, message),
      sendPrivate: (channel, userId, target, sequence, message) => this.sendPrivate(channel, userId, target, sequence, message),
      bookUpdate: (channel, productId, first, last, message) => this.sendBook(channel, productId, first, last, message),
      anySubscribed: (channel) => this.anySubscribed(channel),
      replyPerSubscription: (channel, message) => this.replyPerSubscription(channel, message),
    };
    options.wss.on('connection', (socket: WebSocket, request: IncomingMessage) => this.connect(socket, request));
    this.heartbeat = setInterval(() => this.dialect.beat?.(this.feed, new Date().toISOString()), options.heartbeatMs ?? 1000);
    this.heartbeat.unref();
    this.dialect.start?.(this.feed);
    this.unsubscribe = options.reader.onApplied((outcomes) => this.dialect.applied(outcomes, this.feed));
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** Answers the requests of `requests.types` (one handler per server) beside subscriptions. */
  serve(requests: PushRequests): void {
    if (this.requests !== null) throw new Error('the push server already serves requests');
    this.requests = requests;
  }

  /** The candles the read side stored, to the dialect's candle channels. */
  publishCandles(candles: readonly Candle[]): void {
    this.dialect.candles?.(candles, this.feed);
  }

  close(): void {
    this.unsubscribe();
    clearInterval(this.heartbeat);
    this.dialect.close?.();
    for (const client of this.clients) client.socket.close(1001, 'server shutting down');
  }

  private connect(socket: WebSocket, request: IncomingMessage): void {
    const client: Client = {
      socket,
      transport: request.socket,
      headers: request.headers,
      userId: null,
      principal: null,
      signingIn: null,
      outbox: null,
      requesting: null,
      subscriptions: new Map(),
      bookSequence: new Map(),
    };
    this.clients.add(client);
    socket.on('close', () => this.drop(client));
    socket.on('error', () => socket.terminate());
    socket.on('message', (data, isBinary) => this.receive(client, isBinary ? null : String(data)));
  }

  private drop(client: Client): void {
    if (!this.clients.delete(client)) return;
    this.endPrivateSubscriptions(client);
    for (const key of client.subscriptions.keys()) this.count(key.slice(0, key.indexOf(' ')), -1);
  }

  private receive(client: Client, text: string | null): void {
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
    if (type === 'subscribe' || type === 'unsubscribe') {
      this.subscription(client, message as Record<string, unknown>).catch((error: unknown) => {
        this.options.logger.error({ err: error }, 'websocket message failed');
        this.reply(client, { type: 'error', message: 'internal error', code: 'INTERNAL' });
      });
    } else if (typeof type === 'string' && this.requests?.types.has(type)) {
      this.requests.handle(message as Record<string, unknown>, (client.requesting ??= this.requestingView(client)));
    } else {
      const types = ['subscribe', 'unsubscribe', ...(this.requests?.types ?? [])];
      const { request_id: requestId } = message as { request_id?: unknown };
      const echoed = typeof requestId === 'string' || Number.isSafeInteger(requestId) ? { request_id: requestId } : {};
      this.reply(client, { type: 'error', message: `type must be ${types.slice(0, -1).join(', ')} or ${types.at(-1)}`, code: 'WS.UNKNOWN_TYPE', ...echoed });
    }
  }

  private async subscription(client: Client, message: Record<string, unknown>): Promise<void> {
    const request = this.dialect.parse(message);
    if (typeof request === 'string') return this.reply(client, { type: 'error', message: request, code: 'WS.INVALID_SUBSCRIPTION' });

    if (request.type === 'subscribe') {
      let wanted = request.subscriptions;
      if (wanted.some(({ channel }) => this.dialect.privateChannels.has(channel))) {
        const error = await this.authenticate(client, message);
        if (error !== null) {
          this.reply(client, { type: 'error', message: error.message, code: error.code });
          if (this.dialect.unauthenticated === 'refuse') return;
          wanted = wanted.filter(({ channel }) => !this.dialect.privateChannels.has(channel));
        }
      }
      const bookProblem = this.twoBooks(client, wanted);
      if (bookProblem !== null) return this.reply(client, { type: 'error', message: bookProblem, code: 'WS.INVALID_SUBSCRIPTION' });
      await this.dialect.prepare?.(wanted);
      // Everything the engine state holds now is what the client starts from.
      const from = this.options.reader.engine.lastSequence;
      for (const subscription of wanted) {
        const key = `${subscription.channel} ${subscription.target}`;
        if (client.subscriptions.has(key)) continue;
        client.subscriptions.set(key, from);
        this.count(subscription.channel, 1);
        if (this.dialect.bookChannels.has(subscription.channel)) this.sendSnapshot(client, subscription.target);
        this.dialect.subscribed?.(subscription, this.hookView(client));
      }
    } else {
      for (const subscription of request.subscriptions) this.end(client, subscription);
    }
    this.reply(client, this.dialect.describe(subscriptionsOf(client)));
  }

  /** Authenticates a client's private subscribe as the dialect asks; answers the refusal, or null. */
  private async authenticate(client: Client, message: object): Promise<DomainError | null> {
    if (client.userId !== null && !this.dialect.reauthenticate) return null;
    const auth = await this.options.authenticate(message, client.headers);
    const principal = auth.ok ? auth.principal : null;
    if (client.userId !== null && client.userId !== principal?.userId) this.endPrivateSubscriptions(client);
    client.principal = principal;
    client.userId = principal?.userId ?? null;
    return auth.ok ? null : auth.error;
  }

  private requestingView(client: Client): RequestingClient {
    return {
      principal: async (message) => {
        // Requests sent right behind the one that signs in wait for it rather than fail.
        if (client.principal === null && client.signingIn !== null) await client.signingIn;
        if (client.principal !== null) return { ok: true, principal: client.principal };
        const signingIn = this.options.authenticate(message, client.headers);
        client.signingIn = signingIn;
        const auth = await signingIn;
        if (client.signingIn === signingIn) client.signingIn = null;
        if (auth.ok && client.principal === null) {
          client.principal = auth.principal;
          client.userId = auth.principal.userId;
        }
        return auth;
      },
      send: (frame) => this.write(client, frame),
    };
  }

  /**
   * Writes every client's frames of this tick, each client's in one write: a group commit's
   * answers and the updates it causes come together, and a frame per write would cost a
   * syscall each (socket I/O and ws framing are a fifth of the main thread's time under order
   * entry; with 10,000 clients subscribed, one write per frame per client held order answers
   * for seconds behind the fan-out).
   */
  private readonly flush = (): void => {
    this.flushScheduled = false;
    for (const client of this.unflushed) {
      const frames = client.outbox!;
      client.outbox = null;
      client.transport.cork();
      for (const frame of frames) this.deliver(client, frame);
      client.transport.uncork();
    }
    this.unflushed.clear();
  };

  private end(client: Client, subscription: PushSubscription): void {
    if (!client.subscriptions.delete(`${subscription.channel} ${subscription.target}`)) return;
    this.count(subscription.channel, -1);
    if (this.dialect.bookChannels.has(subscription.channel)) client.bookSequence.delete(subscription.target);
    this.dialect.unsubscribed?.(subscription, this.hookView(client));
  }

  private endPrivateSubscriptions(client: Client): void {
    for (const subscription of subscriptionsOf(client)) if (this.dialect.privateChannels.has(subscription.channel)) this.end(client, subscription);
  }

  /** What is wrong with taking two book channels of one product (in the message, or beside one the client has), or null. */
  private twoBooks(client: Client, wanted: readonly PushSubscription[]): string | null {
    const books = this.dialect.bookChannels;
    const twice = wanted.some(
      ({ channel, target }) =>
        books.has(channel) &&
        [...books].some((other) => other !== channel && (client.subscriptions.has(`${other} ${target}`) || wanted.some((w) => w.channel === other && w.target === target))),
    );
    return twice ? `subscribe to ${[...books].join(' or ')} of a product, not both` : null;
  }

  private hookView(client: Client): PushClient {
    return {
      userId: client.userId,
      reply: (subscription, message) => {
        if (this.clients.has(client) && client.subscriptions.has(`${subscription.channel} ${subscription.target}`)) this.reply(client, message);
      },
    };
  }

  private sendSnapshot(client: Client, productId: string): void {
    const view = this.options.reader.engine.level2(productId);
    if (view === null) return;
    const book = this.options.formatter.level2(view);
    client.bookSequence.set(productId, book.bookSequence);
    this.reply(client, this.dialect.snapshot(book));
  }

  /** An update covering book sequences `first..last`, to each `channel` subscriber whose view it continues; one with a gap gets a new snapshot. */
  private sendBook(channel: string, productId: string, first: number, last: number, message: object): void {
    const key = `${channel} ${productId}`;
    let frame: Buffer | null = null;
    for (const client of this.clients) {
      if (!client.subscriptions.has(key)) continue;
      const seen = client.bookSequence.get(productId) ?? 0;
      if (last <= seen) continue; // already in the snapshot it got
      if (first <= seen + 1) {
        client.bookSequence.set(productId, last);
        this.write(client, (frame ??= Buffer.from(JSON.stringify(message))));
      } else {
        this.sendSnapshot(client, productId); // a gap: start over from the book as it is now
      }
    }
  }

  private replyPerSubscription(channel: string, message: (target: string) => object): void {
    const prefix = `${channel} `;
    for (const client of this.clients) {
      for (const key of client.subscriptions.keys()) if (key.startsWith(prefix)) this.reply(client, message(key.slice(prefix.length)));
    }
  }

  private anySubscribed(channel: string): boolean {
    return (this.subscriptionCounts.get(channel) ?? 0) > 0;
  }

  private count(channel: string, change: 1 | -1): void {
    this.subscriptionCounts.set(channel, (this.subscriptionCounts.get(channel) ?? 0) + change);
  }

  /** `message` (at `sequence`) to the clients whose subscription `key` started before it. */
  private send(key: string, sequence: number, message: object): void {
    let frame: Buffer | null = null;
    for (const client of this.clients) {
      if (after(client.subscriptions.get(key), sequence)) this.write(client, (frame ??= Buffer.from(JSON.stringify(message))));
    }
  }

  private sendPrivate(channel: string, userId: string, target: string, sequence: number, message: object): void {
    let frame: Buffer | null = null;
    for (const client of this.clients) {
      if (client.userId !== userId) continue;
      if (after(client.subscriptions.get(`${channel} ${target}`), sequence) || after(client.subscriptions.get(`${channel} *`), sequence)) {
        this.write(client, (frame ??= Buffer.from(JSON.stringify(message))));
      }
    }
  }

  private reply(client: Client, message: object): void {
    this.write(client, JSON.stringify(message));
  }

  /** Queues `frame` for the client's write at the end of this tick, after what it queued before. */
  private write(client: Client, frame: Frame): void {
    if (client.outbox === null) {
      client.outbox = [];
      this.unflushed.add(client);
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(this.flush);
      }
    }
    client.outbox.push(frame);
  }

  private deliver(client: Client, frame: Frame): void {
    if (client.socket.readyState !== client.socket.OPEN) return;
    if (client.socket.bufferedAmount > this.maxBuffered) {
      this.drop(client);
      client.socket.close(TRY_AGAIN_LATER, 'too slow: reconnect and subscribe again');
      return;
    }
    client.socket.send(frame, TEXT);
  }
}

/** Whether a subscription that started after `from` (undefined: none) is owed an event at `sequence`. */
const after = (from: number | undefined, sequence: number): boolean => from !== undefined && sequence > from;

function subscriptionsOf(client: Client): PushSubscription[] {
  return [...client.subscriptions.keys()].map((key) => {
    const space = key.indexOf(' ');
    return { channel: key.slice(0, space), target: key.slice(space + 1) };
  });
}

/**
 * The `[channel, target]` pairs of a message's `channels` (names, or objects with a `name`
 * and their own `product_ids`), for a dialect's `parse`: `targetsOf` gives a channel's
 * targets from its product ids (and the message), or what is wrong; `isProduct` tells known
 * product ids.
 */
export function parseChannels(
  message: Record<string, unknown>,
  isChannel: (name: string) => boolean,
  isProduct: (id: string) => boolean,
  targetsOf: (name: string, productIds: string[]) => string[] | string,
): PushSubscription[] | string {
  const products = message.product_ids ?? [];
  if (!Array.isArray(products) || !products.every((id) => typeof id === 'string')) return 'product_ids must be an array of product ids';
  const unknown = (products as string[]).find((id) => !isProduct(id));
  if (unknown !== undefined) return `unknown product ${unknown.slice(0, 32)}`;
  if (!Array.isArray(message.channels) || message.channels.length === 0) return 'channels must be a non-empty array';
  const subscriptions: PushSubscription[] = [];
  for (const entry of message.channels as unknown[]) {
    const name = typeof entry === 'string' ? entry : (entry as { name?: unknown } | null)?.name;
    const ids = typeof entry === 'string' ? products : ((entry as { product_ids?: unknown }).product_ids ?? products);
    if (typeof name !== 'string' || !isChannel(name)) return `unknown channel ${String(name).slice(0, 32)}`;
    if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string' && isProduct(id))) return `channel ${name}: product_ids must name known products`;
    const targets = targetsOf(name, ids as string[]);
    if (typeof targets === 'string') return targets;
    if (targets.length === 0) return `channel ${name} needs product_ids`;
    for (const target of targets) subscriptions.push({ channel: name, target });
  }
  return subscriptions;
}

/** Subscriptions grouped by channel, in the order first subscribed: `[channel, targets]`. */
export function byChannel(subscriptions: readonly PushSubscription[]): Array<[string, string[]]> {
  const grouped = new Map<string, string[]>();
  for (const { channel, target } of subscriptions) grouped.set(channel, [...(grouped.get(channel) ?? []), target]);
  return [...grouped];
}
