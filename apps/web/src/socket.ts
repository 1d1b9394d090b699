export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface Channel {
  name: string;
  product_ids: string[];
}

/** Delay before reconnect attempt `attempt` (0-based): doubling from 0.5 s, capped at 10 s, with up to 20 % jitter. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(10_000, 500 * 2 ** attempt);
  return Math.round(base * (1 + 0.2 * random()));
}

const PRIVATE = new Set(['user', 'funds']);
/** Heartbeats come every second; this long without any message means the connection is dead. */
const SILENCE_MS = 5_000;

/**
 * The `/ws` connection: keeps the wanted subscriptions, reconnects with backoff when the
 * connection drops (server restart, slow-client close 1013) and subscribes again on every open.
 */
export class MarketSocket {
  private socket: WebSocket | null = null;
  private attempt = 0;
  private watchdog: ReturnType<typeof setTimeout> | undefined;
  private readonly wanted = new Map<string, Set<string>>();
  private token: string | null = null;

  constructor(
    private readonly url: string,
    private readonly onMessage: (message: Record<string, unknown>) => void,
    private readonly onState: (state: ConnectionState, reconnected: boolean) => void,
  ) {}

  connect(): void {
    this.onState('connecting', false);
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.onopen = () => {
      const reconnected = this.attempt > 0;
      this.attempt = 0;
      this.kick();
      this.send(this.channels(false));
      if (this.token) this.send(this.channels(true));
      this.onState('open', reconnected);
    };
    socket.onmessage = (event) => {
      this.kick();
      try {
        this.onMessage(JSON.parse(String(event.data)) as Record<string, unknown>);
      } catch (error) {
        console.error('bad message', error);
      }
    };
    socket.onclose = () => this.drop(socket);
  }

  /** Forgets a dead socket and schedules the next attempt; a close from an older socket is ignored. */
  private drop(socket: WebSocket): void {
    if (this.socket !== socket) return;
    clearTimeout(this.watchdog);
    this.socket = null;
    socket.onclose = null;
    socket.close();
    this.onState('closed', false);
    setTimeout(() => this.connect(), backoffDelay(this.attempt++));
  }

  /** The session token for the private channels, or null after log-out. */
  setToken(token: string | null): void {
    if (this.token && !token) this.unsubscribeNames([...PRIVATE]);
    this.token = token;
    if (token) this.send(this.channels(true));
  }

  subscribe(names: string[], productIds: string[]): void {
    for (const name of names) {
      const ids = this.wanted.get(name) ?? new Set<string>();
      for (const id of productIds) ids.add(id);
      this.wanted.set(name, ids);
    }
    const channels = names.map((name) => ({ name, product_ids: productIds }));
    const open = channels.filter((c) => !PRIVATE.has(c.name));
    const closed = channels.filter((c) => PRIVATE.has(c.name));
    if (open.length) this.send(open);
    if (closed.length && this.token) this.send(closed, true);
  }

  unsubscribe(names: string[], productIds: string[]): void {
    for (const name of names) for (const id of productIds) this.wanted.get(name)?.delete(id);
    this.raw({ type: 'unsubscribe', product_ids: productIds, channels: names });
  }

  private unsubscribeNames(names: string[]): void {
    const channels = names.map((name) => ({ name, product_ids: [...(this.wanted.get(name) ?? [])] })).filter((c) => c.product_ids.length);
    if (channels.length) this.raw({ type: 'unsubscribe', channels });
  }

  private channels(privateOnes: boolean): Channel[] {
    return [...this.wanted.entries()]
      .filter(([name, ids]) => PRIVATE.has(name) === privateOnes && ids.size > 0)
      .map(([name, ids]) => ({ name, product_ids: [...ids] }));
  }

  private send(channels: Channel[], privateOnes = channels.some((c) => PRIVATE.has(c.name))): void {
    if (!channels.length) return;
    this.raw({ type: 'subscribe', channels, ...(privateOnes && this.token ? { token: this.token } : {}) });
  }

  private raw(message: object): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private kick(): void {
    clearTimeout(this.watchdog);
    const socket = this.socket;
    if (socket) this.watchdog = setTimeout(() => this.drop(socket), SILENCE_MS);
  }
}
