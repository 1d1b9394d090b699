import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSoakArgs, SOAK_USAGE, UsageError } from '../args';
import { ExchangeClient } from '../client';
import { runLoad } from '../load/load-test';
import { DEFAULT_MIX } from '../load/order-mix';
import { summaryLine } from '../load/report';
import { benchMarket, EXCHANGE_MAIN, freePort, perUserOrderLimit, signUpBenchUsers, spawnExchange, stop, waitForHealth } from './exchange-process';
import { formatWindows, rssMbFromStatus, summarizeSoak, WindowCounter, type WindowRow } from './soak-stats';

/**
 * pnpm soak: the exchange app spawned as for bench:api, then one open-loop load test at a
 * moderate rate for minutes. Every window records orders/s, p50/p99 of that window's answers,
 * the exchange's RSS (/proc) and V8 heap (a preloaded probe). Prints one row per window and,
 * as its last line, the first-against-last JSON summary. Everything else goes to stderr.
 */
async function main(): Promise<void> {
  const options = parseSoakArgs(
    process.argv.slice(2).filter((arg) => arg !== '--'),
    process.env,
  );
  const dataDir = await mkdtemp(join(tmpdir(), 'sd-soak-'));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const note = (line: string): void => void process.stderr.write(`${line}\n`);

  const perUserLimit = perUserOrderLimit(options.rate, options.users);
  note(`starting the exchange (${EXCHANGE_MAIN}) on ${origin}, data in ${dataDir}, ORDERS_PER_SECOND_PER_USER=${perUserLimit}`);
  const exchange = spawnExchange({ port, dataDir, ordersPerSecondPerUser: perUserLimit, nodeArgs: ['-r', join(__dirname, 'soak-probe.js')], ipc: true });
  const client = new ExchangeClient(origin);
  try {
    await waitForHealth(origin, exchange);
    const { market, fund } = await benchMarket(client, options.productId, options.mid);
    const tokens = await signUpBenchUsers(client, options.users, fund);
    note(`${tokens.length} users set up; soak: ${options.durationMs / 1000} s at ${options.rate} orders/s, windows of ${options.windowMs / 1000} s`);

    const counter = new WindowCounter();
    const rows: WindowRow[] = [];
    const windowCount = Math.floor(options.durationMs / options.windowMs);
    // Window boundaries are measured, not assumed: a late timer still divides by the real span.
    let windowStart = performance.now();
    let closed = 0;
    const pending: Promise<void>[] = [];
    const closeWindow = (): void => {
      if (closed >= windowCount) return;
      closed += 1;
      const now = performance.now();
      const figures = counter.close((now - windowStart) / 1000);
      windowStart = now;
      const endS = (closed * options.windowMs) / 1000;
      pending.push(
        sampleMemory(exchange).then((memory) => {
          const row = { endS, ...figures, ...memory };
          rows.push(row);
          note(`window ending at ${endS} s of ${windowCount * (options.windowMs / 1000)} s: ${JSON.stringify(row)}`);
        }),
      );
    };
    const timer = setInterval(closeWindow, options.windowMs);
    let result;
    try {
      result = await runLoad({
        origin,
        tokens,
        market,
        mix: { ...DEFAULT_MIX, seed: 1 },
        mode: { kind: 'open', rate: options.rate },
        connections: options.connections,
        pipelining: 1,
        transport: 'raw',
        durationMs: options.durationMs,
        onAnswer: (ms, outcome) => counter.record(ms, outcome),
      });
    } finally {
      clearInterval(timer);
    }
    // The load's end and the last tick race; the last window closes here if its tick lost.
    closeWindow();
    await Promise.all(pending);
    rows.sort((a, b) => a.endS - b.endS);
    note(`whole run: ${summaryLine(result)}`);
    process.stdout.write(`${formatWindows(rows)}\n`);
    process.stdout.write(`${JSON.stringify(summarizeSoak(rows, result.errors.total))}\n`);
  } finally {
    await client.close();
    if (exchange.connected) exchange.disconnect();
    await stop(exchange);
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** RSS from /proc/<pid>/status; the heap from the probe, left out if it does not answer within 1 s. */
async function sampleMemory(exchange: ChildProcess): Promise<{ rss_mb: number; heap_mb?: number }> {
  const rss_mb = rssMbFromStatus(await readFile(`/proc/${exchange.pid}/status`, 'utf8'));
  const heapUsed = await new Promise<number | undefined>((resolve) => {
    const onMessage = (message: unknown): void => {
      const value = (message as { heapUsed?: unknown } | null)?.heapUsed;
      if (typeof value !== 'number') return;
      clearTimeout(timeout);
      exchange.off('message', onMessage);
      resolve(value);
    };
    const timeout = setTimeout(() => {
      exchange.off('message', onMessage);
      resolve(undefined);
    }, 1000);
    exchange.on('message', onMessage);
    exchange.send('memory');
  });
  return heapUsed === undefined ? { rss_mb } : { rss_mb, heap_mb: Number((heapUsed / 2 ** 20).toFixed(1)) };
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) process.stderr.write(`${error.message}\n\n${SOAK_USAGE}\n`);
  else process.stderr.write(`soak failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
});
