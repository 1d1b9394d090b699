import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ExchangeClient } from '../client';
import { DEFAULT_MIX, type MarketSpec } from '../load/order-mix';
import { findProduct, marketSpec } from '../market';
import { freshIdentity, setUpUsers } from '../setup';

/** The built exchange app, spawned by bench:api and soak. */
export const EXCHANGE_MAIN = resolve(__dirname, '../../../exchange/dist/main.js');

/** `pnpm bench:api -- --baseline`: a bare node:http JSON server in place of the exchange. */
export const BASELINE_SERVER = resolve(__dirname, 'baseline-server.js');

/**
 * A few users carry the whole rate (each sign-up and log-in costs a memory-hard hash and is
 * rate-limited per IP), so the per-user order limit is twice each user's share.
 */
export function perUserOrderLimit(rate: number, users: number): string {
  return String(Math.ceil((2 * rate) / users));
}

export interface ExchangeProcessOptions {
  port: number;
  dataDir: string;
  ordersPerSecondPerUser: string;
  /** Extra node flags before the script (soak preloads its memory probe). */
  nodeArgs?: string[];
  /** Opens an IPC channel to the child (the soak memory probe answers on it). */
  ipc?: boolean;
  /** Another build's main.js (bench:http --exchange, for a before/after in one sitting); default EXCHANGE_MAIN. */
  main?: string;
}

/** The embedded exchange on 127.0.0.1 without the demo market, warn-level logs, its stdout copied to our stderr. */
export function spawnExchange(options: ExchangeProcessOptions): ChildProcess {
  const exchange = spawn(process.execPath, [...(options.nodeArgs ?? []), options.main ?? EXCHANGE_MAIN], {
    env: {
      // The benches measure the user's load alone unless asked (DEMO_MARKET=on pnpm bench:api: what the demo flow costs).
      DEMO_MARKET: 'off',
      ...process.env,
      PORT: String(options.port),
      METRICS_PORT: '0', // nothing scrapes it; PORT + 1000 of a random port may be taken
      HOST: '127.0.0.1',
      DATA_DIR: options.dataDir,
      LOG_LEVEL: 'warn',
      EXCHANGE_MODE: 'embedded',
      ORDERS_PER_SECOND_PER_USER: options.ordersPerSecondPerUser,
    },
    stdio: options.ipc ? ['ignore', 'pipe', 'inherit', 'ipc'] : ['ignore', 'pipe', 'inherit'],
  });
  exchange.stdout?.pipe(process.stderr);
  return exchange;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

export async function waitForHealth(origin: string, exchange: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (exchange.exitCode !== null) throw new Error(`the exchange exited with code ${exchange.exitCode} before it was healthy`);
    const healthy = await fetch(`${origin}/api/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) return;
    await sleep(100);
  }
  throw new Error(`the exchange did not answer ${origin}/api/health within 60 s`);
}

/** SIGTERM, then SIGKILL if it has not exited within 15 s. */
export async function stop(exchange: ChildProcess): Promise<void> {
  if (exchange.exitCode !== null || exchange.signalCode !== null) return;
  const exited = once(exchange, 'exit');
  exchange.kill('SIGTERM');
  const timer = setTimeout(() => exchange.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

export function spawnBaseline(port: number): ChildProcess {
  return spawn(process.execPath, [BASELINE_SERVER], { env: { ...process.env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'inherit', 'inherit'] });
}

/** The load's product around `mid`, and what each bench user is funded with to trade it. */
export async function benchMarket(client: ExchangeClient, productId: string, mid: string): Promise<{ market: MarketSpec; fund: Record<string, string> }> {
  const product = await findProduct(client, productId);
  return {
    market: marketSpec(product, mid, DEFAULT_MIX.spreadSteps),
    fund: { [product.quote_currency]: '1000000', [product.base_currency]: '1000' },
  };
}

/** Signs up, logs in and funds `count` fresh users; answers their access tokens. */
export async function signUpBenchUsers(client: ExchangeClient, count: number, fund: Record<string, string>): Promise<string[]> {
  const users = await setUpUsers(client, { count, ...freshIdentity(), apiKeys: false, fund, concurrency: 4 });
  return users.map((user) => user.access_token);
}
