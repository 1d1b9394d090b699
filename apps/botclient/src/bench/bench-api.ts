import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_USAGE, parseBenchArgs, UsageError } from '../args';
import { ExchangeClient } from '../client';
import { DEFAULT_MIX } from '../load/order-mix';
import { runLoad } from '../load/load-test';
import { formatTable, summaryLine } from '../load/report';
import {
  BASELINE_SERVER,
  benchMarket,
  EXCHANGE_MAIN,
  freePort,
  perUserOrderLimit,
  signUpBenchUsers,
  spawnBaseline,
  spawnExchange,
  stop,
  waitForHealth,
} from './exchange-process';

/**
 * pnpm bench:api: the exchange app in its own process (embedded default, fresh data dir, on a
 * free loopback port), users set up and funded through the API, a warm-up, then the open-loop
 * load test. Everything but the table and the JSON last line goes to stderr.
 */
async function main(): Promise<void> {
  const options = parseBenchArgs(process.argv.slice(2).filter((arg) => arg !== '--'));
  const dataDir = await mkdtemp(join(tmpdir(), 'sd-bench-api-'));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const note = (line: string): void => void process.stderr.write(`${line}\n`);

  const perUserLimit = perUserOrderLimit(options.rate, options.users);
  const exchange = options.baseline ? spawnBaseline(port) : spawnExchange({ port, dataDir, ordersPerSecondPerUser: perUserLimit });
  note(
    options.baseline
      ? `baseline: a bare node:http JSON server (${BASELINE_SERVER}) on ${origin}, no exchange behind it`
      : `starting the exchange (${EXCHANGE_MAIN}) on ${origin}, data in ${dataDir}, ORDERS_PER_SECOND_PER_USER=${perUserLimit}`,
  );
  const client = new ExchangeClient(origin);
  try {
    await waitForHealth(origin, exchange);
    const { market, fund } = await benchMarket(client, options.productId, options.mid);
    const setupStart = Date.now();
    const tokens = options.baseline ? Array.from({ length: options.users }, () => 'baseline') : await signUpBenchUsers(client, options.users, fund);
    if (!options.baseline) note(`${tokens.length} users signed up, logged in and funded with ${JSON.stringify(fund)} in ${((Date.now() - setupStart) / 1000).toFixed(1)} s`);

    const base = {
      origin,
      tokens,
      market,
      mode: { kind: 'open', rate: options.rate } as const,
      connections: options.connections,
      pipelining: options.pipelining,
      transport: options.transport,
      progress: process.stderr,
    };
    if (options.warmupMs > 0) {
      note(`warm-up: ${options.warmupMs / 1000} s at ${options.rate} orders/s`);
      const warm = await runLoad({ ...base, mix: { ...DEFAULT_MIX, seed: 2 }, durationMs: options.warmupMs });
      note(`warm-up: ${summaryLine(warm)}`);
    }
    note(`load test: ${options.durationMs / 1000} s at ${options.rate} orders/s`);
    const result = await runLoad({ ...base, mix: { ...DEFAULT_MIX, seed: 1 }, durationMs: options.durationMs });
    process.stdout.write(`${formatTable(result)}\n`);
    process.stdout.write(`${summaryLine(result)}\n`);
  } finally {
    await client.close();
    await stop(exchange);
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) process.stderr.write(`${error.message}\n\n${BENCH_USAGE}\n`);
  else process.stderr.write(`bench:api failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
});
