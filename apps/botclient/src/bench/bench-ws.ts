import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import WebSocket from 'ws';
import { ExchangeClient } from '../client';
import { runLoad } from '../load/load-test';
import { DEFAULT_MIX } from '../load/order-mix';
import { benchMarket, freePort, perUserOrderLimit, signUpBenchUsers, spawnExchange, stop, waitForHealth } from './exchange-process';
import { rssMbFromStatus } from './soak-stats';

/** Sockets per loopback source address: under the exchange's per-IP cap (256), as many clients on many addresses would be. */
const PER_ADDRESS = 250;
/** Clients that parse every message and time it; the others only count bytes, so the generator stays light. */
const TIMED_CLIENTS = 50;

/**
 * pnpm bench:ws: the embedded exchange spawned as for bench:api; `--clients` WebSocket
 * clients subscribe to level2 and matches of one product; then an open-loop order load
 * trades it. Prints the exchange's RSS before and after the clients connected (the delta per
 * client), and the push latency (engine timestamp of the event to its arrival at a client,
 * same clock) of every l2update and match the timed clients received: p50, p99, max.
 * Client and exchange share this machine's cores: state figures with the load beside them.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: {
      clients: { type: 'string', default: '10000' },
      rate: { type: 'string', default: '100' },
      duration: { type: 'string', default: '30' },
      product: { type: 'string', default: 'BTC-USDT' },
      mid: { type: 'string', default: '100' },
    },
  });
  const clients = Number(values.clients);
  const rate = Number(values.rate);
  const durationMs = Number(values.duration) * 1000;
  const note = (line: string): void => void process.stderr.write(`${line}\n`);
  const dataDir = await mkdtemp(join(tmpdir(), 'sd-bench-ws-'));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const users = 8;
  const exchange = spawnExchange({ port, dataDir, ordersPerSecondPerUser: perUserOrderLimit(rate, users) });
  const workers: Worker[] = [];
  try {
    await waitForHealth(origin, exchange);
    const client = new ExchangeClient(origin);
    const { market, fund } = await benchMarket(client, values.product, values.mid);
    const tokens = await signUpBenchUsers(client, users, fund);
    const rss = async (): Promise<number> => rssMbFromStatus(await readFile(`/proc/${exchange.pid}/status`, 'utf8'));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const rssBefore = await rss();

    note(`connecting ${clients} WebSocket clients, each subscribing to level2 and matches of ${values.product}`);
    const connectStarted = performance.now();
    // The clients run in a worker thread: their parsing must not delay the order load's schedule.
    const worker = new Worker(__filename, { workerData: { origin, clients, product: values.product } satisfies ClientsJob });
    workers.push(worker);
    const ask = <T>(question: string): Promise<T> =>
      new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.postMessage(question);
      });
    await ask('connect');
    const connectS = (performance.now() - connectStarted) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const rssConnected = await rss();
    note(`${clients} clients subscribed in ${connectS.toFixed(1)} s; trading at ${rate} orders/s for ${durationMs / 1000} s`);

    const before = await ask<ClientsReport>('report');
    const load = await runLoad({ origin, tokens, market, mix: { ...DEFAULT_MIX, seed: 1 }, mode: { kind: 'open', rate }, connections: 8, pipelining: 1, transport: 'raw', durationMs });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const rssTrading = await rss();
    const after = await ask<ClientsReport>('report');
    const latencies = after.latencies.slice(before.latencies.length).sort((a, b) => a - b);
    const closedEarly = after.closed;
    const at = (p: number): number => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] ?? NaN;
    const figures = {
      clients,
      orderRate: rate,
      ordersAnswered: load.ok,
      orderP99Ms: load.latency.percentileMs(99),
      rssBeforeMb: rssBefore,
      rssConnectedMb: rssConnected,
      rssTradingMb: rssTrading,
      rssDeltaPerClientKb: Math.round(((rssConnected - rssBefore) * 1024) / clients),
      pushedMbPerS: Number(((after.bytes - before.bytes) / 1e6 / (durationMs / 1000)).toFixed(1)),
      timedMessages: latencies.length,
      pushP50Ms: at(50),
      pushP99Ms: at(99),
      pushMaxMs: latencies.at(-1) ?? NaN,
      clientsDropped: closedEarly,
    };
    process.stdout.write(
      [
        `clients subscribed (level2 + matches)   ${clients}`,
        `exchange RSS before / connected / after trading   ${rssBefore} / ${rssConnected} / ${rssTrading} MB (${figures.rssDeltaPerClientKb} KB per client)`,
        `orders: ${load.ok} answered at ${rate}/s, p99 ${figures.orderP99Ms.toFixed(1)} ms`,
        `push latency over ${latencies.length} messages to ${TIMED_CLIENTS} timed clients: p50 ${figures.pushP50Ms} ms, p99 ${figures.pushP99Ms} ms, max ${figures.pushMaxMs} ms`,
        `pushed to all clients: ${figures.pushedMbPerS} MB/s; clients dropped by the server: ${closedEarly}`,
        JSON.stringify(figures),
      ].join('\n') + '\n',
    );
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
    await stop(exchange);
    await rm(dataDir, { recursive: true, force: true });
  }
}

interface ClientsJob {
  origin: string;
  clients: number;
  product: string;
}

interface ClientsReport {
  /** Push latencies the timed clients measured so far, in arrival order. */
  latencies: number[];
  bytes: number;
  /** Clients the server closed. */
  closed: number;
}

/** The worker: connects and subscribes the clients on 'connect', answers what they saw on 'report'. */
function runClients({ origin, clients, product }: ClientsJob): void {
  const latencies: number[] = [];
  let bytes = 0;
  let closed = 0;
  const connectOne = async (index: number): Promise<void> => {
    const address = Math.floor(index / PER_ADDRESS);
    const socket = new WebSocket(`${origin.replace('http', 'ws')}/ws`, { localAddress: `127.10.${1 + Math.floor(address / 250)}.${1 + (address % 250)}` });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    socket.once('close', () => closed++);
    const timed = index < TIMED_CLIENTS;
    let subscribed: (() => void) | null = null;
    const confirmed = new Promise<void>((resolve) => (subscribed = resolve));
    socket.on('message', (data: Buffer) => {
      bytes += data.length;
      if (!timed && subscribed === null) return;
      const message = JSON.parse(data.toString()) as { type: string; time?: string };
      if (message.type === 'subscriptions' && subscribed !== null) {
        subscribed();
        subscribed = null;
      } else if (timed && (message.type === 'l2update' || message.type === 'match') && message.time !== undefined) {
        latencies.push(Date.now() - Date.parse(message.time));
      }
    });
    socket.send(JSON.stringify({ type: 'subscribe', product_ids: [product], channels: ['level2', 'matches'] }));
    await confirmed;
  };
  parentPort!.on('message', async (question: string) => {
    if (question === 'connect') {
      for (let batch = 0; batch < clients; batch += 500) {
        await Promise.all(Array.from({ length: Math.min(500, clients - batch) }, (_, j) => connectOne(batch + j)));
      }
      parentPort!.postMessage('connected');
    } else {
      parentPort!.postMessage({ latencies, bytes, closed } satisfies ClientsReport);
    }
  });
}

if (isMainThread) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
} else {
  runClients(workerData as ClientsJob);
}
