import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Prng } from '@sd/exchange/usecase/core/prng';
import { ExchangeClient } from '../client';
import type { MarketSpec } from '../load/order-mix';
import { summarizeProfile } from './cpu-profile';
import { benchMarket, freePort, signUpBenchUsers, spawnBaseline, spawnExchange, stop, waitForHealth } from './exchange-process';
import { loadGenerator, type BenchRequest, type LoadGenerator, type LoadRun } from './wrk';
import { runWsLoad, type WsLoadOptions } from './ws-load';

const USAGE = `usage: pnpm bench:http [-- --flags]
  --duration 10 (seconds per run; each row runs at saturation, then paced at half that rate)
  --connections 64  --threads 2  --users 8  --only book,orders,ws,... (rows)  --profile (node --cpu-prof on the exchange)
  --ws-sockets 8  --ws-window 32 (place_order requests outstanding per socket)  --ws-threads 1 (client worker threads)
  --rate N (pace every row at N req/s instead of half its saturation: CPU per request of two builds at the same load)
  --exchange PATH (another build's apps/exchange/dist/main.js, e.g. a checkout of main, for a before/after)`;

type Lane = 'reference' | 'market_data' | 'private' | 'orders' | 'ws_orders';

interface Row {
  key: string;
  target: 'bare' | 'exchange';
  lane: Lane;
  what: string;
  /** What wrk sends; or `ws`, a WebSocket order-entry load (its own client). */
  requests: BenchRequest[];
  ws?: Omit<WsLoadOptions, 'durationS' | 'rate'>;
}

interface Measured extends Row {
  saturation: LoadRun;
  half: LoadRun;
  /** The server's CPU time (every thread, user and system) per request of the paced run: robust where throughput is not on a shared machine. */
  cpuUsPerRequest: number | null;
  /** The same by thread: `main`, the read side's worker (`WorkerThread`), V8's GC helpers (`V8Worker`), libuv's pool. */
  cpuUsByThread: Record<string, number>;
}

/**
 * pnpm bench:http: the HTTP lanes against a bare node:http server on this machine, in one run.
 * Each row is measured at saturation (wrk, closed loop over the connections), then at half that
 * rate, paced, for the latency a lane shows with headroom. WebSocket order entry has its own
 * client (worker threads, many requests outstanding per socket, see ws-load.ts) against the
 * exchange's `/ws` and the bare server's. The exchange is the embedded default (fsync on) with
 * its users signed in by bearer token. Table on stdout, JSON last line.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: {
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '64' },
      threads: { type: 'string', default: '2' },
      users: { type: 'string', default: '8' },
      only: { type: 'string' },
      profile: { type: 'boolean', default: false },
      rate: { type: 'string' },
      exchange: { type: 'string' },
      'ws-sockets': { type: 'string', default: '8' },
      'ws-window': { type: 'string', default: '32' },
      'ws-threads': { type: 'string', default: '1' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  const durationS = positive('duration', values.duration);
  const connections = positive('connections', values.connections);
  const threads = positive('threads', values.threads);
  const userCount = positive('users', values.users);
  const only = values.only?.split(',');
  const wsLoad = { sockets: positive('ws-sockets', values['ws-sockets']), window: positive('ws-window', values['ws-window']), threads: positive('ws-threads', values['ws-threads']), warmupS: 1 };
  const wsWhat = `WS place_order (${wsLoad.sockets} sockets x ${wsLoad.window} out)`;
  const fixedRate = values.rate === undefined ? undefined : positive('rate', values.rate);
  const note = (line: string): void => void process.stderr.write(`${line}\n`);
  const loadBefore = loadavg()[0]!;
  note(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (figures are noise above ~1.5 on this 2-core machine)`);
  const generator = await loadGenerator(note);
  const workDir = await mkdtemp(join(tmpdir(), 'sd-bench-http-'));
  const measured: Measured[] = [];
  const measure = async (origin: string, server: ChildProcess, row: Row): Promise<void> => {
    // A bare row runs when a chosen exchange row is compared with it.
    const wanted = (key: string): boolean => only === undefined || only.includes(key) || (row.target === 'bare' && only.some((chosen) => BARE_REFERENCE[chosen] === key));
    if (!wanted(row.key)) return;
    const run = (rate?: number): Promise<LoadRun> =>
      row.ws === undefined
        ? generator.run({ url: origin, requests: row.requests, durationS, connections, threads, rate }, join(workDir, `${row.target}-${row.key}.lua`))
        : // The saturation run warms the server up; the paced run that follows needs no warm-up (and its CPU per order counts every order).
          runWsLoad({ ...row.ws, durationS, rate, warmupS: rate === undefined ? row.ws.warmupS : 0 }).then((figures) => {
            if (figures.firstRefusal !== null) note(`  ${figures.non2xx} orders refused, the first: ${figures.firstRefusal}`);
            note(`  (WebSocket client: ${figures.clientCpuUsPerRequest} us CPU per order)`);
            return figures;
          });
    note(`${row.target} ${row.what}: saturation...`);
    const saturation = await run();
    const pace = fixedRate ?? Math.max(1, Math.round(saturation.rps / 2));
    note(`  ${saturation.rps} req/s, p99 ${saturation.p99Ms} ms; paced at ${pace} req/s...`);
    const cpuBefore = cpuSeconds(server.pid);
    const threadsBefore = threadCpuSeconds(server.pid);
    const half = await run(pace);
    const cpuAfter = cpuSeconds(server.pid);
    const threadsAfter = threadCpuSeconds(server.pid);
    const cpuUsPerRequest = cpuBefore === null || cpuAfter === null ? null : Math.round(((cpuAfter - cpuBefore) * 1e6) / half.requests);
    const cpuUsByThread = Object.fromEntries(
      Object.entries(threadsAfter)
        .map(([thread, seconds]) => [thread, Math.round(((seconds - (threadsBefore[thread] ?? 0)) * 1e6) / half.requests)] as const)
        .filter(([, us]) => us > 0),
    );
    note(`  ${half.rps} req/s, p99 ${half.p99Ms} ms, server CPU ${cpuUsPerRequest} us/request (${Object.entries(cpuUsByThread).map(([thread, us]) => `${thread} ${us}`).join(', ')})`);
    measured.push({ ...row, saturation, half, cpuUsPerRequest, cpuUsByThread });
  };

  try {
    // The bare server: the same requests, no exchange behind them.
    const order = orderBodies(null);
    const barePort = await freePort();
    const bareOrigin = `http://127.0.0.1:${barePort}`;
    const bare = spawnBaseline(barePort);
    try {
      await waitForHealth(bareOrigin, bare);
      await measure(bareOrigin, bare, { key: 'get', target: 'bare', lane: 'reference', what: 'GET small JSON', requests: [{ method: 'GET', path: '/api/health' }] });
      await measure(bareOrigin, bare, { key: 'book', target: 'bare', lane: 'market_data', what: 'GET book level 2 (fixed JSON)', requests: [{ method: 'GET', path: BOOK_PATH }] });
      await measure(bareOrigin, bare, {
        key: 'accounts',
        target: 'bare',
        lane: 'private',
        what: 'GET accounts (fixed JSON)',
        requests: [{ method: 'GET', path: '/api/accounts', headers: { authorization: 'Bearer baseline' } }],
      });
      await measure(bareOrigin, bare, { key: 'post', target: 'bare', lane: 'reference', what: 'POST JSON echo', requests: order.map((body) => postOrder(body, 'baseline')) });
      await measure(bareOrigin, bare, {
        key: 'ws',
        target: 'bare',
        lane: 'ws_orders',
        what: `${wsWhat}, fixed answers`,
        requests: [],
        ws: { ...wsLoad, url: `ws://127.0.0.1:${barePort}/ws`, tokens: ['baseline'], orders: order },
      });
    } finally {
      await stop(bare);
    }

    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const dataDir = join(workDir, 'data');
    // Kept after the run, for a closer look (Chrome DevTools, speedscope).
    const profileDir = join(tmpdir(), `sd-bench-http-profile-${process.pid}`);
    const exchange = spawnExchange({
      port,
      dataDir,
      ordersPerSecondPerUser: '1000000',
      main: values.exchange,
      nodeArgs: values.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
    });
    note(`the exchange (embedded, JOURNAL_FSYNC=batch) on ${origin}${values.profile ? `, profiled into ${profileDir}` : ''}`);
    const client = new ExchangeClient(origin);
    try {
      await waitForHealth(origin, exchange);
      const { market, fund } = await benchMarket(client, 'BTC-USDT', '30000');
      const tokens = await signUpBenchUsers(client, userCount, fund);
      await seedBook(client, tokens[0]!, market);
      const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
      const productPath = `/api/products/${market.productId}`;
      if (`${productPath}/book?level=2` !== BOOK_PATH) throw new Error(`the bare server answers ${BOOK_PATH}, not ${productPath}/book?level=2`);
      await measure(origin, exchange, { key: 'health', target: 'exchange', lane: 'reference', what: 'GET /api/health', requests: [{ method: 'GET', path: '/api/health' }] });
      await measure(origin, exchange, { key: 'book', target: 'exchange', lane: 'market_data', what: 'GET book level 2', requests: [{ method: 'GET', path: `${productPath}/book?level=2` }] });
      await measure(origin, exchange, { key: 'ticker', target: 'exchange', lane: 'market_data', what: 'GET ticker', requests: [{ method: 'GET', path: `${productPath}/ticker` }] });
      await measure(origin, exchange, {
        key: 'accounts',
        target: 'exchange',
        lane: 'private',
        what: 'GET /api/accounts (bearer)',
        requests: tokens.map((token) => ({ method: 'GET', path: '/api/accounts', headers: bearer(token) })),
      });
      await measure(origin, exchange, {
        key: 'orders',
        target: 'exchange',
        lane: 'orders',
        what: 'POST /api/orders (bearer)',
        requests: orderBodies(market).map((body, i) => postOrder(body, tokens[i % tokens.length]!)),
      });
      await measure(origin, exchange, {
        key: 'ws',
        target: 'exchange',
        lane: 'ws_orders',
        what: wsWhat,
        requests: [],
        ws: { ...wsLoad, url: `ws://127.0.0.1:${port}/ws`, tokens, orders: orderBodies(market) },
      });
    } finally {
      await client.close();
      await stop(exchange);
    }
    if (values.profile) await printProfile(profileDir, note);
    if (values.profile) note(`profiles kept in ${profileDir}`);
    report(measured, generator, loadBefore);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** The bare row an exchange row is compared with, where their keys differ. */
const BARE_REFERENCE: Record<string, string> = { health: 'get', ticker: 'get', orders: 'post' };

/** The book request of both servers: the bare one answers it with fixed JSON of the same shape and size. */
const BOOK_PATH = '/api/products/BTC-USDT/book?level=2';

function postOrder(body: string, token: string): BenchRequest {
  return { method: 'POST', path: '/api/orders', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body };
}

/**
 * Limit orders 1..20 price steps either side of the mid, so about half rest and the rest
 * trade against them; sizes of one to three minimum sizes. Null market: the bare server's
 * copy, same shape.
 */
function orderBodies(market: MarketSpec | null): string[] {
  const random = new Prng(7);
  return Array.from({ length: 1024 }, () => {
    const side = random.chance(0.5) ? 'buy' : 'sell';
    if (market === null) return JSON.stringify({ product_id: 'BTC-USDT', side, type: 'limit', price: '30000.05', size: '0.0010' });
    const steps = market.midSteps + random.int(-20, 20);
    const size = market.minSizeSteps * random.int(1, 3);
    return JSON.stringify({ product_id: market.productId, side, type: 'limit', price: market.price.format(steps), size: market.size.format(size) });
  });
}

/** Twenty resting levels a side, so the book answers are of a realistic size. */
async function seedBook(client: ExchangeClient, token: string, market: MarketSpec): Promise<void> {
  for (let level = 21; level <= 40; level++) {
    for (const [side, steps] of [['buy', market.midSteps - level], ['sell', market.midSteps + level]] as const) {
      const order = { product_id: market.productId, side, type: 'limit', price: market.price.format(steps), size: market.size.format(market.minSizeSteps) };
      await client.placeOrder({ token }, order);
    }
  }
}

async function printProfile(dir: string, note: (line: string) => void): Promise<void> {
  const files = (await readdir(dir).catch(() => [] as string[])).filter((file) => file.endsWith('.cpuprofile'));
  for (const file of files) {
    const { functions, places } = await summarizeProfile(join(dir, file));
    note(`\nCPU profile of the exchange (${file}), self time:`);
    note(places.map((share) => `  ${share.percent.toFixed(1).padStart(5)} %  ${share.name}`).join('\n'));
    note('hottest functions:');
    note(functions.map((share) => `  ${share.percent.toFixed(1).padStart(5)} %  ${share.name}`).join('\n'));
  }
}

function report(measured: Measured[], generator: LoadGenerator, loadBefore: number): void {
  const find = (target: Row['target'], key: string): Measured | undefined => measured.find((row) => row.target === target && row.key === key);
  const header = ['target', 'request', 'req/s', 'p50 ms', 'p99 ms', 'paced req/s', 'p99 ms paced', 'CPU us/req', 'non-2xx'];
  const lines = measured.map((row) => [
    row.target,
    row.what,
    String(row.saturation.rps),
    row.saturation.p50Ms.toFixed(2),
    row.saturation.p99Ms.toFixed(2),
    String(row.half.rps),
    row.half.p99Ms.toFixed(2),
    String(row.cpuUsPerRequest ?? '-'),
    String(row.saturation.non2xx + row.half.non2xx + row.saturation.socketErrors + row.half.socketErrors),
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i]!.length)));
  const format = (cells: string[]): string => cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  process.stdout.write(`${[format(header), ...lines.map(format)].join('\n')}\n`);

  const ratio = (exchange: Measured | undefined, bare: Measured | undefined): number | null =>
    exchange && bare ? Number((exchange.saturation.rps / bare.saturation.rps).toFixed(3)) : null;
  const halfP99 = (row: Measured | undefined): number | null => (row ? Number(row.half.p99Ms.toFixed(2)) : null);
  const [get, post] = [find('bare', 'get'), find('bare', 'post')];
  const summary = {
    generator: generator.name,
    node: process.version,
    load_average: Number(loadBefore.toFixed(2)),
    market_data_ratio: ratio(find('exchange', 'book'), find('bare', 'book')),
    private_ratio: ratio(find('exchange', 'accounts'), find('bare', 'accounts')),
    orders_ratio: ratio(find('exchange', 'orders'), post),
    health_ratio: ratio(find('exchange', 'health'), get),
    ticker_ratio: ratio(find('exchange', 'ticker'), get),
    market_data_p99_half_ms: halfP99(find('exchange', 'book')),
    private_p99_half_ms: halfP99(find('exchange', 'accounts')),
    orders_p99_half_ms: halfP99(find('exchange', 'orders')),
    bare_get_rps: get?.saturation.rps ?? null,
    bare_post_rps: post?.saturation.rps ?? null,
    book_rps: find('exchange', 'book')?.saturation.rps ?? null,
    accounts_rps: find('exchange', 'accounts')?.saturation.rps ?? null,
    orders_rps: find('exchange', 'orders')?.saturation.rps ?? null,
    // WebSocket order entry: closed loop at its window (saturation); p99 paced at half that rate, as for the HTTP lanes, and at saturation.
    ws_orders_per_s: find('exchange', 'ws')?.saturation.rps ?? null,
    ws_p99_ms: halfP99(find('exchange', 'ws')),
    ws_p99_saturation_ms: find('exchange', 'ws')?.saturation.p99Ms ?? null,
    ws_ratio: ratio(find('exchange', 'ws'), find('bare', 'ws')),
    bare_ws_orders_per_s: find('bare', 'ws')?.saturation.rps ?? null,
    cpu_us_per_request: Object.fromEntries(measured.map((row) => [`${row.target}_${row.key}`, row.cpuUsPerRequest])),
    ws_cpu_us_by_thread: find('exchange', 'ws')?.cpuUsByThread ?? null,
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

/** utime + stime of a process, every thread, in seconds (Linux /proc); null elsewhere. */
function cpuSeconds(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/** utime + stime of each thread of a process in seconds, summed by thread name (`main` for the main thread); empty elsewhere. */
function threadCpuSeconds(pid: number | undefined): Record<string, number> {
  const seconds: Record<string, number> = {};
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return seconds;
  }
  for (const tid of tids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // ended since the listing
    }
    const name = tid === String(pid) ? 'main' : stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    seconds[name] = (seconds[name] ?? 0) + (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  }
  return seconds;
}

/** USER_HZ: 100 on every Linux this runs on. */
const CLOCK_TICKS = 100;

function positive(name: string, value: string | undefined): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new Error(`--${name} must be a positive integer, not ${value}`);
  return number;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:http failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
