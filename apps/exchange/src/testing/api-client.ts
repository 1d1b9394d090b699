/* eslint-disable @typescript-eslint/no-explicit-any -- answers and frames are arbitrary JSON that the tests assert field by field */
import WebSocket from 'ws';
import type { ContractRecorder } from './contract';

export interface ApiAnswer<T = unknown> {
  status: number;
  body: T;
  /** Lower-case names. */
  headers: Record<string, string>;
}

/** A trader talking to a running exchange over HTTP and WebSocket, as a real client would. */
export class ApiClient {
  token: string | null = null;

  /** `contract` records every answer, for the suite's check against the OpenAPI document. */
  constructor(
    readonly baseUrl: string,
    private readonly contract?: ContractRecorder,
  ) {}

  async request<T = any>(method: string, path: string, body?: unknown): Promise<ApiAnswer<T>> {
    const response = await fetch(`${this.baseUrl}/api${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.token === null ? {} : { authorization: `Bearer ${this.token}` }),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    this.contract?.record(method, `/api${path}`, response.status, text);
    return { status: response.status, body: (text === '' ? null : JSON.parse(text)) as T, headers: Object.fromEntries(response.headers) };
  }

  /** Signs up (once) and logs in; later requests carry the access token. */
  async signUp(email: string, password = 'correct horse battery staple'): Promise<string> {
    const created = await this.request<{ id: string }>('POST', '/users', { email, password });
    if (created.status !== 201 && created.status !== 200) throw new Error(`sign-up: ${created.status} ${JSON.stringify(created.body)}`);
    await this.logIn(email, password);
    return created.body.id;
  }

  async logIn(email: string, password = 'correct horse battery staple'): Promise<void> {
    const login = await this.request<{ access_token: string }>('POST', '/users/accessToken', { email, password });
    if (login.status !== 200) throw new Error(`log-in: ${login.status} ${JSON.stringify(login.body)}`);
    this.token = login.body.access_token;
  }

  async expectOk<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    const answer = await this.request<T>(method, path, body);
    if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  /** Every page of a list route (`path` with its query started), newest first, paged `after` the last row's `idOf`. */
  async allPages(path: string, idOf: (row: any) => string): Promise<any[]> {
    const rows: any[] = [];
    for (;;) {
      const page = await this.expectOk<any[]>('GET', `${path}&limit=1000${rows.length === 0 ? '' : `&after=${idOf(rows.at(-1))}`}`);
      rows.push(...page);
      if (page.length < 1000) return rows;
    }
  }

  async balances(): Promise<Record<string, { available: string; hold: string; balance: string }>> {
    const rows = await this.expectOk<Array<{ currency: string; available: string; hold: string; balance: string }>>('GET', '/accounts');
    return Object.fromEntries(rows.map((row) => [row.currency, row]));
  }

  /** A WebSocket that collects every message it receives. */
  async socket(): Promise<FeedSocket> {
    const socket = new WebSocket(`${this.baseUrl.replace('http', 'ws')}/ws`);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    return new FeedSocket(socket);
  }
}

export class FeedSocket {
  readonly messages: any[] = [];

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => this.messages.push(JSON.parse(data.toString())));
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Waits for the first message matching `predicate` (received before or after the call). */
  async next(predicate: (message: any) => boolean, timeoutMs = 5000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(predicate);
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`no matching message; got ${JSON.stringify(this.messages.slice(-5))}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  close(): void {
    this.socket.close();
  }
}
