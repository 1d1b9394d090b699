import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Big from 'big.js';
import type { TapeTrade } from '@sd/domain/exchange/tape';
import { FileJournal } from '../../repository/journal/file-journal';
import { memoryTapes, startSandboxFixture, type SandboxFixture } from '../../testing/sandbox-fixture';
import { stateHash } from '../../testing/state-hash';
import { Prng } from '../core/prng';
import { MarketReplay } from './market-replay';
import { sandboxMaker } from './sandbox-funds';

const START = Date.UTC(2024, 0, 2);

/** A tape of `count` trades of BTC-USDT a few hundred milliseconds apart, drifting in cents, some sizes off the grid. */
function tape(count: number, seed = 5): TapeTrade[] {
  const prng = new Prng(seed);
  let cents = 4_200_000;
  let time = START;
  const trades: TapeTrade[] = [];
  for (let i = 0; i < count; i++) {
    cents += prng.int(-200, 200);
    time += prng.int(0, 900);
    trades.push({ time, price: new Big(cents).div(100).toFixed(2), size: new Big(prng.int(1, 5000)).div(10_000).toFixed(4), takerSide: prng.chance(0.5) ? 'buy' : 'sell' });
  }
  return trades;
}

function replayOf(fx: SandboxFixture, trades: readonly TapeTrade[]): MarketReplay {
  return new MarketReplay(
    { trading: fx.trading, funds: fx.funds, reader: fx.host, clock: fx.clock, tapes: memoryTapes(trades) },
    { file: '/tapes/BTCUSDT-aggTrades-2024-01-02.csv', productId: 'BTC-USDT', speed: 'max', levels: 5 },
  );
}

describe('the market replay', () => {
  it('makes each tape trade exactly one trade at its price, size, time and taker side', async () => {
    const fx = await startSandboxFixture();
    const trades = tape(300);
    const replay = replayOf(fx, trades);
    await replay.open();
    await replay.run();
    const matches = fx.matches();
    expect(replay.status()).toMatchObject({ state: 'done', tradesReplayed: 300, tradesSnapped: 0, bytesRead: 300, bytesTotal: 300, tapeTime: trades[299]!.time, error: null, file: 'BTCUSDT-aggTrades-2024-01-02.csv' });
    expect(matches).toHaveLength(300);
    matches.forEach((match, i) => {
      const trade = trades[i]!;
      // Minor units: USDT has 6 decimals, BTC 8.
      expect(new Big(match.price).div(1_000_000).eq(trade.price)).toBe(true);
      expect(new Big(match.size).div(100_000_000).eq(trade.size)).toBe(true);
      expect(match.time).toBe(trade.time);
      // The match's side is the maker's: the opposite of the tape's taker.
      expect(match.side).toBe(trade.takerSide === 'buy' ? 'sell' : 'buy');
    });
    // Only the ladder rests afterwards, strictly outside the last price.
    const book = fx.host.engine.level2('BTC-USDT')!;
    const last = new Big(trades[299]!.price).times(1_000_000).toNumber();
    expect(book.bids[0]![0]).toBeLessThan(last);
    expect(book.asks[0]![0]).toBeGreaterThan(last);
    // Every command was stamped with the time of the tape trade it was for.
    expect(fx.outcomes.every((outcome) => trades.some((trade) => trade.time === outcome.timestamp))).toBe(true);
    await fx.host.close();
  });

  it('snaps prices and sizes off the grid to it, and counts them', async () => {
    const fx = await startSandboxFixture();
    const replay = replayOf(fx, [
      { time: START, price: '42000.004', size: '0.00012', takerSide: 'buy' },
      { time: START + 1, price: '42000.01', size: '0.00001', takerSide: 'sell' },
      { time: START + 2, price: '42000.02', size: '0.5', takerSide: 'sell' },
    ]);
    await replay.open();
    await replay.run();
    expect(replay.status()).toMatchObject({ state: 'done', tradesReplayed: 3, tradesSnapped: 2 });
    // 42000.00 for 0.0001, then the minimum size 0.0001 at 42000.01, then as recorded.
    expect(fx.matches().map((match) => [match.price, match.size])).toEqual([
      [42_000_000_000, 10_000],
      [42_000_010_000, 10_000],
      [42_000_020_000, 50_000_000],
    ]);
    await fx.host.close();
  });

  it("trades a user's order in front first, and cancels what the maker rested for the tape that was not taken", async () => {
    const fx = await startSandboxFixture();
    const replay = replayOf(fx, [{ time: START, price: '42000.00', size: '0.3', takerSide: 'buy' }]);
    await replay.open();
    // A user's ask at the tape's price, before the replay: it has time priority over the maker's.
    await fx.funds.ensure('user-1', fx.host.engine.catalog.currency('BTC')!, 100_000_000);
    await fx.trading.placeOrder('user-1', { productId: 'BTC-USDT', side: 'sell', orderType: 'limit', price: '42000.00', size: '0.1' });
    await replay.run();
    expect(fx.matches().map((match) => [match.makerUserId, match.size, match.price])).toEqual([
      ['user-1', 10_000_000, 42_000_000_000],
      [sandboxMaker('BTC-USDT'), 20_000_000, 42_000_000_000],
    ]);
    const makerAtPrice = fx.host.engine.openOrders(sandboxMaker('BTC-USDT'), 'BTC-USDT').filter((order) => order.price === 42_000_000_000);
    expect(makerAtPrice).toEqual([]);
    expect(fx.outcomes.at(-1)!.command.type).toBe('cancel');
    await fx.host.close();
  });

  it('paces the tape at its speed, and a stop ends the wait for the next trade', async () => {
    const fx = await startSandboxFixture();
    // An hour between the two trades at a tape second a second: the second one is far off.
    const replay = new MarketReplay(
      { trading: fx.trading, funds: fx.funds, reader: fx.host, clock: fx.clock, tapes: memoryTapes([...tape(1), { ...tape(1)[0]!, time: START + 3_600_000 }]) },
      { file: 'day.csv', productId: 'BTC-USDT', speed: 1, levels: 5 },
    );
    await replay.open();
    const running = replay.run();
    while (replay.status().tradesReplayed === 0) await new Promise((resolve) => setImmediate(resolve));
    expect(replay.status()).toMatchObject({ state: 'running', speed: 1 });
    replay.stop();
    await running;
    expect(replay.status().tradesReplayed).toBe(1);
    expect(fx.matches()).toHaveLength(1);
    await fx.host.close();
  });

  it('refuses to start on a journal that is already past the tape', async () => {
    const fx = await startSandboxFixture();
    fx.clock.set(START + 60_000);
    await fx.funds.ensure('someone', fx.host.engine.catalog.currency('USDT')!, 1);
    const replay = replayOf(fx, tape(3));
    await expect(replay.open()).rejects.toThrow(/journal already holds commands of 2024-01-02T00:01:00.000Z, after the tape's first trade .* a replay needs a fresh data directory/);
    await fx.host.close();
  });

  it('gives the same state hash and byte-identical journal files on every run', async () => {
    const trades = tape(500, 11);
    const run = async (): Promise<{ hash: string; journal: Map<string, Buffer>; dir: string }> => {
      const dir = mkdtempSync(join(tmpdir(), 'sd-replay-'));
      const fx = await startSandboxFixture(new FileJournal({ dir, fsync: 'none' }));
      const replay = replayOf(fx, trades);
      await replay.open();
      await replay.run();
      expect(replay.status().state).toBe('done');
      const hash = stateHash(fx.host.engine.snapshot());
      await fx.host.close();
      return { hash, journal: new Map(readdirSync(dir).map((file) => [file, readFileSync(join(dir, file))])), dir };
    };
    const first = await run();
    const second = await run();
    expect(second.hash).toBe(first.hash);
    expect([...second.journal.keys()]).toEqual([...first.journal.keys()]);
    for (const [file, bytes] of first.journal) expect(second.journal.get(file)!.equals(bytes)).toBe(true);
    expect([...first.journal.values()].reduce((sum, bytes) => sum + bytes.length, 0)).toBeGreaterThan(10_000);
    for (const dir of [first.dir, second.dir]) rmSync(dir, { recursive: true, force: true });
  });
});
