import 'reflect-metadata';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Big from 'big.js';
import { exchangeConfigFromEnv } from '@sd/app-exchange/config';
import { type RunningExchange, startExchange } from '@sd/app-exchange/server';
import { type BacktestOptions, runBacktest } from './backtest/backtest';
import { formatResult } from './backtest/backtest-report';
import type { ReplayProgress } from './backtest/replay-progress';
import { ExchangeClient, type ReplayJson } from './client';

jest.setTimeout(90_000);

const SAMPLE = join(__dirname, '..', '..', '..', 'packages', 'exchange', 'samples', 'BTC-USDT-aggTrades-2023-06-15.csv');
/** The sample day's first two hours (some 350 trades): at 600 tape seconds a second, 12 s. */
const TAPE_MS = 2 * 3_600_000;
const FUND = { USDT: '100000', BTC: '1' };

describe('botclient backtest against the exchange app replaying the sample tape (embedded, in process)', () => {
  let dataDir: string;
  let exchange: RunningExchange;
  let client: ExchangeClient;
  let tapeTrades: number;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sd-botclient-backtest-'));
    const rows = readFileSync(SAMPLE, 'utf8').trim().split('\n');
    const start = Number(rows[0]!.split(',')[5]);
    const tape = join(dataDir, 'BTC-USDT-aggTrades-2h.csv');
    const twoHours = rows.filter((row) => Number(row.split(',')[5]) < start + TAPE_MS);
    tapeTrades = twoHours.length;
    writeFileSync(tape, `${twoHours.join('\n')}\n`);
    const env = { DATA_DIR: join(dataDir, 'exchange'), PORT: '0', LOG_LEVEL: 'silent', DEMO_MARKET: 'off', REPLAY_FILE: tape, REPLAY_START: 'wait', CLOCK_SPEED: '600' };
    exchange = await startExchange(exchangeConfigFromEnv(env));
    client = new ExchangeClient(exchange.url);
  });

  afterAll(async () => {
    await client?.close();
    await exchange?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts the replay, trades it to the end, and reports fills and a P&L the balances agree with', async () => {
    const seen: ReplayJson[] = [];
    const progress: ReplayProgress = { update: (replay) => void seen.push(replay), stop: () => undefined };
    const options: BacktestOptions = { fund: FUND, window: 10, bandBps: 3, sizeMultiple: 10, maxOrders: 5, pollMs: 100 };
    const lines: string[] = [];
    const result = await runBacktest(client, options, new AbortController().signal, progress, (line) => void lines.push(line));

    expect(result.replay).toMatchObject({ product_id: 'BTC-USDT', state: 'done', error: null });
    expect(result.replay.trades_replayed).toBe(tapeTrades);
    expect(result.replay.bytes_read).toBe(result.replay.bytes_total);
    expect(seen.length).toBeGreaterThan(3);
    expect(seen.map((replay) => replay.bytes_read)).toEqual([...seen.map((replay) => replay.bytes_read)].sort((a, b) => a - b));
    expect(seen.at(-1)!.state).toBe('done');

    const auth = { apiKey: result.user.api_key! };
    expect(await client.openOrders(auth, 'BTC-USDT')).toEqual([]);
    expect(result.fills.length).toBeGreaterThan(0);
    // The P&L is the exchange's own ledger: the position is the BTC gained, the total the USDT gained plus it at the mark.
    const accounts = await client.accounts(auth);
    const balance = (currency: string) => new Big(accounts.find((account) => account.currency === currency)!.balance);
    const position = balance('BTC').minus(FUND.BTC);
    expect(result.pnl.position.eq(position)).toBe(true);
    expect(result.pnl.total.eq(balance('USDT').minus(FUND.USDT).plus(position.times(result.mark)))).toBe(true);
    expect(new Big(result.pnl.position).abs().lte('0.005')).toBe(true);

    const report = formatResult(result);
    expect(report).toContain(`total P&L`);
    expect(report.split('\n').filter((line) => /^\d{4}-\d{2}-\d{2}T.* (buy|sell) /.test(line))).toHaveLength(result.fills.length);
  });
});
