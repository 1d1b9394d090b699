import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import type { TokensJson } from '@sd/auth/auth-routes';
import type { AccountJson, FillJson, OrderJson, ProductJson, PublicTradeJson } from '@sd/exchange/delivery/http/api-types';
import { type ApiKey, coinbaseHeaders, coinbaseTimestamp } from './signing';

/** How a request proves who sends it: a log-in session's bearer token, or a Coinbase-style API key. */
export type Credentials = { token: string } | { apiKey: ApiKey };

// The API's wire types, from the schemas the exchange validates and answers with.
export type { AccountJson, FillJson, OrderJson, ProductJson, PublicTradeJson, TokensJson };

/** `GET /api/sandbox` (served by the exchange app's sandbox route). */
export interface SandboxJson {
  demo_market: 'on' | 'off';
  /** The exchange's clock, ISO 8601: replay time when a replay runs. */
  clock: string;
  replay: ReplayJson | null;
}

export interface ReplayJson {
  product_id: string;
  file: string;
  /** binance-aggtrades, binance-klines or coinbase-trades; null until the tape is opened when it was not given. */
  format: string | null;
  state: 'waiting' | 'running' | 'done' | 'failed';
  /** Tape seconds per second, or `max`. */
  speed: string;
  trades_replayed: number;
  trades_snapped: number;
  bytes_read: number;
  bytes_total: number;
  /** The time of the last trade replayed, ISO 8601, null before the first. */
  tape_time: string | null;
  error: string | null;
}

/** A non-2xx answer, with the exchange's `{message, code}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
    readonly retryAfterS: number | undefined,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * A small REST client of the exchange API for setup and the bots (the load test has its own
 * leaner path). Keep-alive connections through an undici pool.
 */
export class ExchangeClient {
  private readonly pool: Pool;

  constructor(readonly origin: string, connections = 4) {
    this.pool = new Pool(origin, { connections });
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  async request<T>(method: 'GET' | 'POST' | 'DELETE', path: string, options: { body?: unknown; auth?: Credentials } = {}): Promise<T> {
    const body = options.body === undefined ? '' : JSON.stringify(options.body);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body) headers['content-type'] = 'application/json';
    const auth = options.auth;
    if (auth && 'token' in auth) headers.authorization = `Bearer ${auth.token}`;
    // The signed path is the whole request path with its query, /api mount included, as the server receives it.
    if (auth && 'apiKey' in auth) Object.assign(headers, coinbaseHeaders(auth.apiKey, { method, requestPath: path, body, timestamp: coinbaseTimestamp() }));
    const response = await this.pool.request({ method, path, headers, body: body || undefined });
    const text = await response.body.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (response.statusCode >= 300) {
      const error = parsed as { message?: string; code?: string } | undefined;
      const retryAfter = Number(response.headers['retry-after']);
      throw new ApiError(
        response.statusCode,
        error?.code,
        `${method} ${path}: ${response.statusCode} ${error?.code ?? ''} ${error?.message ?? text}`.trim(),
        Number.isFinite(retryAfter) ? retryAfter : undefined,
      );
    }
    return parsed as T;
  }

  signUp(email: string, password: string): Promise<{ id: string; email: string }> {
    return this.request('POST', '/api/users', { body: { email, password } });
  }

  logIn(email: string, password: string): Promise<TokensJson> {
    return this.request('POST', '/api/users/accessToken', { body: { email, password } });
  }

  createApiKey(token: string, permissions: string[], label: string): Promise<ApiKey> {
    return this.request('POST', '/api/users/apiKeys', { body: { permissions, label }, auth: { token } });
  }

  faucet(auth: Credentials, currency: string, amount: string): Promise<unknown> {
    return this.request('POST', '/api/faucet', { body: { currency, amount }, auth });
  }

  /** Resolves once the exchange answers `/api/health/ready` with 200; throws otherwise. */
  ready(): Promise<unknown> {
    return this.request('GET', '/api/health/ready');
  }

  products(): Promise<ProductJson[]> {
    return this.request('GET', '/api/products');
  }

  book(productId: string): Promise<{ bids: [string, string, number][]; asks: [string, string, number][] }> {
    return this.request('GET', `/api/products/${encodeURIComponent(productId)}/book?level=1`);
  }

  ticker(productId: string): Promise<{ price?: string | null }> {
    return this.request('GET', `/api/products/${encodeURIComponent(productId)}/ticker`);
  }

  /** The newest public trades of the product (`limit`, up to 1000, the API's default 100), newest first. */
  trades(productId: string, limit?: number): Promise<PublicTradeJson[]> {
    return this.request('GET', `/api/products/${encodeURIComponent(productId)}/trades${limit === undefined ? '' : `?limit=${limit}`}`);
  }

  placeOrder(auth: Credentials, order: Record<string, unknown>): Promise<OrderJson> {
    return this.request('POST', '/api/orders', { body: order, auth });
  }

  cancelAll(auth: Credentials, productId: string): Promise<string[]> {
    return this.request('DELETE', `/api/orders?product_id=${encodeURIComponent(productId)}`, { auth });
  }

  /** The caller's open orders, newest first (up to the API's default page). */
  openOrders(auth: Credentials, productId?: string): Promise<OrderJson[]> {
    return this.request('GET', `/api/orders${productId === undefined ? '' : `?product_id=${encodeURIComponent(productId)}`}`, { auth });
  }

  accounts(auth: Credentials): Promise<AccountJson[]> {
    return this.request('GET', '/api/accounts', { auth });
  }

  /** The newest `limit` fills, newest first; `after` (a trade id) pages to older ones. */
  fills(auth: Credentials, productId: string, limit = 100, after?: string): Promise<FillJson[]> {
    return this.request('GET', `/api/fills?product_id=${encodeURIComponent(productId)}&limit=${limit}${after === undefined ? '' : `&after=${after}`}`, { auth });
  }

  /** The sandbox's state: the demo market, the exchange's clock, the replay if the exchange runs one. */
  sandbox(): Promise<SandboxJson> {
    return this.request('GET', '/api/sandbox');
  }

  /** Starts a replay the exchange holds (`REPLAY_START=wait`). */
  startReplay(auth: Credentials): Promise<unknown> {
    return this.request('POST', '/api/sandbox/replay/start', { auth });
  }
}

/** Retries a call the exchange rate-limited (429), waiting as long as its Retry-After asks. */
export async function retryRateLimited<T>(call: () => Promise<T>, attempts = 20): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 429 || attempt >= attempts) throw error;
      await sleep((error.retryAfterS ?? 1) * 1000);
    }
  }
}
