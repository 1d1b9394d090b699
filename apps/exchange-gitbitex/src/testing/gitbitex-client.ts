/* eslint-disable @typescript-eslint/no-explicit-any -- answers and frames are arbitrary JSON that the tests assert field by field */
import WebSocket from 'ws';
import type { ContractRecorder } from '@sd/app-exchange/testing/contract';

/*
 * A client that calls the server as gitbitex-web does, written from the contract
 * (shared/research/gitbitex-web-contract.md), not from the page: same-origin `/api` with the
 * `accessToken` cookie and never an Authorization header, the page's per-call headers, its
 * `localStorage["access-token"]` (the whole log-in body), and a WebSocket that appends that
 * token to every message and replays the last `subscriptions` reply after a reconnect.
 */

export interface Answer<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** The page's per-call axios flags, which travel as real request headers. */
export type PageFlag = 'HideError' | 'HideAuthError' | 'ResponseAll';

export class GitbitexClient {
  /** The `accessToken` cookie the browser holds for this origin. */
  cookie: string | null = null;
  /** `localStorage["access-token"]`: whatever body the log-in answered, as the page stores it. */
  storedToken: string | null = null;

  /** `contract` records every answer, for the suite's check against the OpenAPI document. */
  constructor(
    readonly baseUrl: string,
    private readonly contract?: ContractRecorder,
  ) {}

  async request<T = any>(method: string, path: string, body?: unknown, flags: readonly PageFlag[] = []): Promise<Answer<T>> {
    const response = await fetch(`${this.baseUrl}/api${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json;charset=utf-8' }),
        ...(this.cookie === null ? {} : { cookie: `accessToken=${this.cookie}` }),
        ...Object.fromEntries(flags.map((flag) => [flag, 'true'])),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const setCookie = response.headers.getSetCookie().find((value) => value.startsWith('accessToken='));
    if (setCookie !== undefined) {
      const value = /^accessToken=([^;]*)/.exec(setCookie)![1]!;
      this.cookie = value === '' || /expires=Thu, 01 Jan 1970/i.test(setCookie) ? null : decodeURIComponent(value);
    }
    const text = await response.text();
    this.contract?.record(method, `/api${path}`, response.status, text);
    return { status: response.status, headers: response.headers, body: (text === '' ? null : JSON.parse(text)) as T };
  }

  /** A 2xx answer's body, as the page's interceptor resolves it; anything else throws with the body's `message`. */
  async ok<T = any>(method: string, path: string, body?: unknown, flags: readonly PageFlag[] = []): Promise<T> {
    const answer = await this.request<T>(method, path, body, flags);
    if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${(answer.body as { message?: string } | null)?.message ?? JSON.stringify(answer.body)}`);
    return answer.body;
  }

  /** The sign-up form, then the sign-in form: the cookie, and the body in local storage (`#9`, `#10`). */
  async signUpAndIn(email: string, password = 'correct horse 1'): Promise<any> {
    await this.ok('POST', '/users', { email, password });
    return this.signIn(email, password);
  }

  async signIn(email: string, password = 'correct horse 1'): Promise<any> {
    const body = await this.ok('POST', '/users/accessToken', { email, password });
    this.storedToken = typeof body === 'string' ? body : String(body);
    return this.ok('GET', '/users/self', undefined, ['HideAuthError']);
  }

  async signOut(): Promise<void> {
    await this.ok('DELETE', '/users/accessToken');
    this.storedToken = null;
  }

  /** `#13`: the order form's balances. */
  async funds(currencies: readonly string[]): Promise<Record<string, { currency: string; available: string; hold: string }>> {
    const rows = await this.ok<Array<{ currency: string; available: string; hold: string }>>('GET', `/accounts?${currencies.map((c) => `currency=${c}`).join('&')}`);
    return Object.fromEntries(rows.map((row) => [row.currency, row]));
  }

  /** `#6`, as `OrderService.getOrders` asks: the whole response, for its paging headers. */
  async orders(productId: string, options: { status?: string[]; after?: string; before?: string } = {}): Promise<{ items: any[]; after: string | null; before: string | null }> {
    const query = [...(options.status ?? []).map((status) => `status=${status}`), ...(['after', 'before'] as const).filter((key) => options[key] !== undefined).map((key) => `${key}=${options[key]}`)];
    const answer = await this.request('GET', `/orders?productId=${productId}&limit=30&${query.join('&')}`, undefined, ['ResponseAll']);
    if (answer.status !== 200) throw new Error(`GET /orders: ${answer.status} ${JSON.stringify(answer.body)}`);
    return { items: answer.body.items, after: answer.headers.get('gbe-after'), before: answer.headers.get('gbe-before') };
  }

  /** `#5`: the order form's body, numbers and all. */
  placeOrder(order: { productId: string; side: 'buy' | 'sell'; type: 'market' | 'limit'; price: number; size: number; funds: number }): Promise<Answer> {
    return this.request('POST', '/orders', order, ['HideError']);
  }

  /** The page's WebSocket: `ws(s)://host[:port]/ws`, with the cookie the browser sends on the upgrade. */
  async socket(): Promise<PageSocket> {
    const socket = new PageSocket(this);
    await socket.open();
    return socket;
  }
}

/** `WebSocketService`: one socket at a time, every message with the stored token, the last `subscriptions` reply replayed on reconnect. */
export class PageSocket {
  /** Every message received, over every connection. */
  readonly messages: any[] = [];
  private ws: WebSocket | null = null;
  private replay: any[] = [];

  constructor(private readonly client: GitbitexClient) {}

  async open(): Promise<void> {
    const url = `${this.client.baseUrl.replace(/^http/, 'ws')}/ws`;
    const ws = new WebSocket(url, { headers: this.client.cookie === null ? {} : { cookie: `accessToken=${this.client.cookie}` } });
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString());
      this.messages.push(message);
      if (message.type === 'subscriptions') this.replay = message.channels.map((channel: any) => ({ ...channel, channels: [channel.name], type: 'subscribe' }));
    });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    this.ws = ws;
    const replay = this.replay;
    this.replay = [];
    for (const entry of replay) this.send(entry);
  }

  /** What the page sends: the message with `token: localStorage["access-token"] || ""`. */
  send(message: object): void {
    this.ws!.send(JSON.stringify({ ...message, token: this.client.storedToken ?? '' }));
  }

  subscribe(channels: string[], ids: { product_ids?: string[]; currency_ids?: string[] }): void {
    this.send({ type: 'subscribe', ...ids, channels });
  }

  unsubscribe(channels: string[], productIds: string[]): void {
    this.send({ type: 'unsubscribe', product_ids: productIds, channels });
  }

  /** The connection drops (the server or the network closes it); the page reopens it and replays its subscriptions. */
  async reconnect(): Promise<void> {
    const closed = new Promise((resolve) => this.ws!.once('close', resolve));
    this.ws!.terminate();
    await closed;
    await this.open();
  }

  /** Waits for the first message matching `predicate` (received before or after the call). */
  async next(predicate: (message: any) => boolean, timeoutMs = 10_000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(predicate);
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`no matching message; last ones: ${JSON.stringify(this.messages.slice(-5))}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Forgets what was received so far (a later `next` sees only newer messages). */
  clear(): void {
    this.messages.length = 0;
  }

  close(): void {
    this.ws?.close();
  }
}
