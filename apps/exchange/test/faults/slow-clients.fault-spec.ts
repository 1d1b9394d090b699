import { connect, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient } from '../../src/testing/api-client';
import { ExchangeProcess } from '../../src/testing/exchange-process';
import { FULL, percentile, printFigures, sleep } from './fault-kit';

jest.setTimeout(600_000);

const SLOWLORIS = 500;
const IDLE = 10_000;
/** Below the exchange's default HTTP_MAX_CONNECTIONS_PER_IP (256): the attackers spread over loopback addresses to get all their sockets accepted. */
const PER_ADDRESS = 250;
const MEASURE_MS = FULL ? 60_000 : 15_000;

/**
 * Holds `count` connections to `port` from 127.<subnet>.x.y addresses, each writing what
 * `drip` gives once a second (nothing for an idle one), and opens a new one whenever the
 * server closes one, as an attacker would. Answers how many are open now, and a stop.
 */
function holdConnections(port: number, count: number, subnet: number, drip: (tick: number) => string | null): { open: () => number; accepted: () => number; stop: () => void } {
  const sockets = new Set<Socket>();
  let stopped = false;
  let accepted = 0;
  const open = (index: number): void => {
    if (stopped) return;
    const localAddress = `127.${subnet}.${1 + Math.floor(index / PER_ADDRESS / 250)}.${1 + (Math.floor(index / PER_ADDRESS) % 250)}`;
    const socket = connect({ port, host: '127.0.0.1', localAddress });
    socket.on('error', () => undefined);
    socket.once('connect', () => {
      accepted++;
      sockets.add(socket);
    });
    socket.once('close', () => {
      sockets.delete(socket);
      setTimeout(() => open(index), 100);
    });
  };
  for (let i = 0; i < count; i++) open(i);
  let tick = 0;
  const timer = setInterval(() => {
    const text = drip(tick++);
    if (text !== null) for (const socket of sockets) socket.write(text);
  }, 1000);
  return {
    open: () => sockets.size,
    accepted: () => accepted,
    stop: () => {
      stopped = true;
      clearInterval(timer);
      for (const socket of sockets) socket.destroy();
    },
  };
}

/**
 * 500 slowloris connections (headers one byte a second) and 10,000 idle sockets, all held
 * open (reconnecting when the server's header timeout closes them), must not stop a normal
 * client from placing orders within its usual latency. The test process holds over 10,500
 * sockets: `pnpm test:faults` raises `ulimit -n` for it.
 */
describe('the exchange under slow and idle clients', () => {
  let dataDir: string;
  let exchange: ExchangeProcess;
  let client: ApiClient;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sd-slow-clients-'));
    exchange = await ExchangeProcess.start({ DATA_DIR: dataDir, ORDERS_PER_SECOND_PER_USER: '1000000', LOG_LEVEL: 'info' });
    client = new ApiClient(exchange.url);
    await client.signUp('steady@example.com');
    await client.expectOk('POST', '/faucet', { currency: 'USDT', amount: '1000000' });
    await client.expectOk('POST', '/faucet', { currency: 'BTC', amount: '1000' });
  });

  afterAll(async () => {
    await exchange?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Orders one after another for `ms`: each one's latency, and any answer that is not 200. */
  async function placeFor(ms: number): Promise<{ latencies: number[]; failures: string[] }> {
    const latencies: number[] = [];
    const failures: string[] = [];
    const end = performance.now() + ms;
    for (let i = 0; performance.now() < end; i++) {
      const started = performance.now();
      const side = i % 2 === 0 ? 'buy' : 'sell';
      const price = side === 'buy' ? '90.00' : '110.00'; // resting, never filling: the book grows, balances do not run out
      try {
        const answer = await client.request('POST', '/orders', { product_id: 'BTC-USDT', side, type: 'limit', price, size: '0.0200' });
        if (answer.status !== 200) failures.push(`${answer.status} ${JSON.stringify(answer.body)}`);
      } catch (error) {
        failures.push(String(error));
      }
      latencies.push(performance.now() - started);
      await sleep(10);
    }
    return { latencies, failures };
  }

  it('keeps placing orders within its usual latency while 500 slowloris and 10,000 idle connections are held open', async () => {
    const port = Number(new URL(exchange.url).port);
    await placeFor(2000); // warm-up
    const baseline = await placeFor(MEASURE_MS / 3);
    expect(baseline.failures).toEqual([]);

    const header = 'POST /api/orders HTTP/1.1\r\nHost: x\r\nX-Padding: ';
    const slowloris = holdConnections(port, SLOWLORIS, 1, (tick) => (tick === 0 ? header : 'a'));
    const idle = holdConnections(port, IDLE, 2, () => null);
    try {
      // Until the attackers hold their sockets.
      for (let waited = 0; idle.open() + slowloris.open() < (IDLE + SLOWLORIS) * 0.95; waited += 200) {
        if (waited > 60_000) throw new Error(`only ${idle.open()} idle and ${slowloris.open()} slowloris sockets open after 60 s`);
        await sleep(200);
      }
      const heldAtStart = idle.open() + slowloris.open();
      const attacked = await placeFor(MEASURE_MS);
      const heldAtEnd = idle.open() + slowloris.open();
      const [base50, base99] = [percentile(baseline.latencies, 50), percentile(baseline.latencies, 99)];
      const [hit50, hit99] = [percentile(attacked.latencies, 50), percentile(attacked.latencies, 99)];
      printFigures('slow and idle clients (embedded, one normal client placing orders)', [
        ['attacker sockets held at start / end', `${heldAtStart} / ${heldAtEnd}`],
        ['attacker connections accepted in all (they reconnect after the 10 s header timeout)', slowloris.accepted() + idle.accepted()],
        ['orders placed: baseline / under attack', `${baseline.latencies.length} / ${attacked.latencies.length}`],
        ['order latency p50 / p99, baseline (ms)', `${base50.toFixed(1)} / ${base99.toFixed(1)}`],
        ['order latency p50 / p99, under attack (ms)', `${hit50.toFixed(1)} / ${hit99.toFixed(1)}`],
        ['orders refused or failed under attack', attacked.failures.length],
      ]);
      expect(attacked.failures).toEqual([]);
      expect(heldAtEnd).toBeGreaterThan((IDLE + SLOWLORIS) * 0.8);
      // "Usual latency": a median like the baseline's, and a tail within a few times its tail
      // (the margin absorbs what other work on a shared 2-core machine adds to a p99 of a few hundred samples).
      expect(hit50).toBeLessThan(base50 * 2 + 5);
      expect(hit99).toBeLessThan(base99 * 5 + 100);
    } finally {
      slowloris.stop();
      idle.stop();
    }
  });
});
