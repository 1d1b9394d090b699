import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExchangeCommand } from '@sd/domain/exchange/command';
import type { EngineOutput } from '@sd/domain/exchange/engine-output';
import type { CommandOutcome } from '@sd/domain/exchange/event';
import { FileJournal } from '../repository/journal/file-journal';
import { FileSnapshotStore } from '../repository/snapshot/file-snapshot-store';
import { Prng } from '../testing/prng';
import { DEFAULT_CURRENCIES, DEFAULT_PRODUCTS } from '../usecase/core/catalog/default-products';
import { ProductCatalog } from '../usecase/core/catalog/product-catalog';
import { ExchangeEngine } from '../usecase/core/engine/exchange-engine';
import { stateHash } from '../testing/state-hash';
import { recoverEngine } from '../usecase/write/recovery';
import { Sequencer } from '../usecase/write/sequencer';
import { BookCore } from './book-core';
import { CANCEL, generateBookFlow, LIMIT, type BookFlow } from './book-flow';
import { PeerBook } from './peer-book';

/**
 * `pnpm bench:engine`: (1) matching core vs nodejs-order-book on one pre-generated flow,
 * (2) the full engine through sequencer + fsynced binary journal + matching + clearing,
 * (3) recovery of snapshot + the 1M journaled commands of (2). Prints a table, then one
 * JSON line last.
 */
const BOOK_OPS = Number(process.env.BENCH_BOOK_OPS ?? 1_000_000);
const ENGINE_COMMANDS = Number(process.env.BENCH_ENGINE_COMMANDS ?? 1_000_000);
const ROUNDS = 3;
const MAX_BATCH = Number(process.env.BENCH_MAX_BATCH ?? 1024);
/** Clients submit in windows and keep DEPTH windows outstanding: WINDOW × DEPTH concurrent commands. */
const WINDOW = Number(process.env.BENCH_WINDOW ?? 1024);
const DEPTH = Number(process.env.BENCH_DEPTH ?? 4);

interface Rates {
  opsPerSecond: number;
  p50Micros: number;
  p99Micros: number;
  p999Micros: number;
}

const SIDES = ['buy', 'sell'] as const;

function runOurs(flow: BookFlow, core: BookCore, latencies?: Float64Array): number {
  const { kinds, sides, prices, sizes, ids } = flow;
  const start = process.hrtime.bigint();
  for (let i = 0; i < flow.length; i++) {
    const t0 = latencies === undefined ? 0n : process.hrtime.bigint();
    const kind = kinds[i];
    if (kind === LIMIT) core.limit(ids[i]!, SIDES[sides[i]!]!, prices[i]!, sizes[i]!);
    else if (kind === CANCEL) core.cancel(ids[i]!);
    else core.market(ids[i]!, SIDES[sides[i]!]!, sizes[i]!);
    if (latencies !== undefined) latencies[i] = Number(process.hrtime.bigint() - t0);
  }
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function runPeer(flow: BookFlow, peer: PeerBook, latencies?: Float64Array): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < flow.length; i++) {
    const t0 = latencies === undefined ? 0n : process.hrtime.bigint();
    peer.step(i);
    if (latencies !== undefined) latencies[i] = Number(process.hrtime.bigint() - t0);
  }
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! / 1000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function sameDepth(a: [Array<[number, number]>, Array<[number, number]>], b: [Array<[number, number]>, Array<[number, number]>]): boolean {
  const norm = (rows: Array<[number, number]>): string => JSON.stringify([...rows].sort((x, y) => x[0] - y[0]));
  return norm(a[0]) === norm(b[0]) && norm(a[1]) === norm(b[1]);
}

function matchingBench(): { ours: Rates; peer: Rates; flow: BookFlow; depthMatches: boolean; resting: number; fills: number } {
  const warmup = generateBookFlow(7, Math.min(BOOK_OPS, 200_000));
  const flow = generateBookFlow(42, BOOK_OPS);
  runOurs(warmup, new BookCore());
  runPeer(warmup, new PeerBook(warmup));
  const ourTimes: number[] = [];
  const peerTimes: number[] = [];
  let depthMatches = true;
  let resting = 0;
  let fills = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const core = new BookCore();
    const peer = new PeerBook(flow);
    gc();
    ourTimes.push(runOurs(flow, core));
    gc();
    peerTimes.push(runPeer(flow, peer));
    depthMatches &&= sameDepth(core.depth(), peer.depth());
    resting = core.depth().flat().length;
    fills = core.fills;
  }
  const latency = (run: (latencies: Float64Array) => void): Float64Array => {
    const latencies = new Float64Array(flow.length);
    gc();
    run(latencies);
    return latencies.sort();
  };
  const ourLatency = latency((l) => runOurs(flow, new BookCore(), l));
  const peerLatency = latency((l) => runPeer(flow, new PeerBook(flow), l));
  const rates = (times: number[], sorted: Float64Array): Rates => ({
    opsPerSecond: flow.length / median(times),
    p50Micros: percentile(sorted, 0.5),
    p99Micros: percentile(sorted, 0.99),
    p999Micros: percentile(sorted, 0.999),
  });
  return { ours: rates(ourTimes, ourLatency), peer: rates(peerTimes, peerLatency), flow, depthMatches, resting, fills };
}

class CountingOutput implements EngineOutput {
  outcomes = 0;
  events = 0;
  rejections = 0;
  batches = 0;

  async publish(outcomes: readonly CommandOutcome[]): Promise<void> {
    this.batches++;
    this.outcomes += outcomes.length;
    for (const outcome of outcomes) {
      this.events += outcome.events.length;
      if (outcome.rejection !== null) this.rejections++;
    }
  }
}

/**
 * Engine flow: two products, 32 funded users, ~50 % limits (a few percent crossing),
 * ~43 % cancels of live orders, ~7 % market orders by size and by funds. Generated by
 * running a copy of the engine, so cancels name orders that are open at that point.
 */
function generateEngineFlow(catalog: ProductCatalog, from: ExchangeEngine, users: string[], count: number): ExchangeCommand[] {
  const scratch = ExchangeEngine.restore(catalog, from.snapshot());
  const r = new Prng(99);
  const live: Array<{ id: number; userId: string }> = [];
  const slot = new Map<number, number>();
  const commands: ExchangeCommand[] = [];
  const products = [
    { id: 'BTC-USDT', mid: 2_000_000, minLots: 1 },
    { id: 'ETH-USDT', mid: 300_000, minLots: 10 },
  ];
  for (let i = 0; i < count; i++) {
    const userId = r.pick(users);
    const product = r.pick(products);
    const side = r.chance(0.5) ? 'buy' : 'sell';
    const roll = r.next();
    let command: ExchangeCommand;
    if (roll < 0.07) {
      const byFunds = side === 'buy' && r.chance(0.5);
      command = byFunds
        ? { type: 'place', userId, productId: product.id, side, orderType: 'market', price: 0, size: 0, funds: r.int(5, 200) * 1_000_000, timeInForce: 'IOC', postOnly: false, stp: 'dc', clientOid: null }
        : { type: 'place', userId, productId: product.id, side, orderType: 'market', price: 0, size: r.int(1, 20) * product.minLots, funds: 0, timeInForce: 'IOC', postOnly: false, stp: 'dc', clientOid: null };
    } else if (live.length > 0 && roll < (live.length > 2_000 ? 0.6 : 0.5)) {
      const target = live[r.int(0, live.length - 1)]!;
      command = { type: 'cancel', userId: target.userId, orderId: target.id };
    } else {
      const away = r.chance(0.05) ? -r.int(0, 3) : 1 + Math.floor(r.next() ** 2 * 400);
      const price = side === 'buy' ? product.mid - away : product.mid + away;
      command = {
        type: 'place', userId, productId: product.id, side, orderType: 'limit', price, size: r.int(1, 20) * product.minLots, funds: 0,
        timeInForce: 'GTC', postOnly: false, stp: 'dc', clientOid: r.chance(0.3) ? `c${i}` : null,
      };
    }
    commands.push(command);
    const outcome = scratch.apply({ sequence: scratch.lastSequence + 1, timestamp: 0, command });
    for (const event of outcome.events) {
      if (event.type === 'open') {
        slot.set(Number(event.orderId), live.length);
        live.push({ id: Number(event.orderId), userId: event.userId });
      } else if (event.type === 'done' && slot.has(Number(event.orderId))) {
        const at = slot.get(Number(event.orderId))!;
        const last = live.pop()!;
        if (last.id !== Number(event.orderId)) {
          live[at] = last;
          slot.set(last.id, at);
        }
        slot.delete(Number(event.orderId));
      }
    }
  }
  return commands;
}

async function engineBench(): Promise<{
  commandsPerSecond: number;
  batches: number;
  events: number;
  rejections: number;
  recoverySeconds: number;
  recoveredMatches: boolean;
  journalMiB: number;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'sd-engine-bench-'));
  try {
    const catalog = new ProductCatalog(DEFAULT_CURRENCIES, DEFAULT_PRODUCTS);
    const journal = new FileJournal({ dir: join(dir, 'journal'), fsync: 'batch' });
    await journal.open();
    const engine = new ExchangeEngine(catalog);
    const output = new CountingOutput();
    const sequencer = new Sequencer(engine, journal, output, { maxBatch: MAX_BATCH });
    const users = Array.from({ length: 32 }, (_, i) => `user-${i}`);
    await Promise.all(
      users.flatMap((userId) => [
        sequencer.submit({ type: 'deposit', userId, currency: 'USDT', amount: 50_000_000 * 1e6 }),
        sequencer.submit({ type: 'deposit', userId, currency: 'BTC', amount: 1_000 * 1e8 }),
        sequencer.submit({ type: 'deposit', userId, currency: 'ETH', amount: 10_000 * 1e8 }),
      ]),
    );
    const snapshots = new FileSnapshotStore({ dir: join(dir, 'snapshots') });
    await snapshots.save(engine.snapshot());
    const commands = generateEngineFlow(catalog, engine, users, ENGINE_COMMANDS);
    Object.assign(output, { outcomes: 0, events: 0, rejections: 0, batches: 0 });
    gc();

    const start = process.hrtime.bigint();
    const outstanding: Array<Promise<CommandOutcome>> = [];
    for (let i = 0; i < commands.length; i += WINDOW) {
      let last: Promise<CommandOutcome> | undefined;
      const end = Math.min(commands.length, i + WINDOW);
      for (let j = i; j < end; j++) last = sequencer.submit(commands[j]!);
      outstanding.push(last!);
      // Answers come in order, so the last command of the oldest window stands for all of it.
      if (outstanding.length >= DEPTH) await outstanding.shift();
    }
    await Promise.all(outstanding);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    await journal.close();
    const liveHash = stateHash(engine.snapshot());
    let journalBytes = 0;
    for (const name of await readdir(join(dir, 'journal'))) journalBytes += (await stat(join(dir, 'journal', name))).size;

    gc();
    const recoveryStart = process.hrtime.bigint();
    const recovered = await recoverEngine(catalog, new FileJournal({ dir: join(dir, 'journal') }), snapshots);
    const recoverySeconds = Number(process.hrtime.bigint() - recoveryStart) / 1e9;
    return {
      commandsPerSecond: commands.length / seconds,
      batches: output.batches,
      events: output.events,
      rejections: output.rejections,
      recoverySeconds,
      recoveredMatches: stateHash(recovered.snapshot()) === liveHash && recovered.lastSequence === engine.lastSequence,
      journalMiB: journalBytes / 2 ** 20,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const book = matchingBench();
  const engine = await engineBench();
  const ratio = book.ours.opsPerSecond / book.peer.opsPerSecond;
  const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
  const rows: Array<[string, string, string, string]> = [
    ['matching core ops/s (ours)', fmt(book.ours.opsPerSecond), '>= 1,000,000', book.ours.opsPerSecond >= 1e6 ? 'ok' : 'MISS'],
    ['matching core ops/s (nodejs-order-book 10.1.1)', fmt(book.peer.opsPerSecond), '', ''],
    ['ours / peer', `${ratio.toFixed(2)}x`, '>= 2x', ratio >= 2 ? 'ok' : 'MISS'],
    ['per-op p50 / p99 / p99.9 µs (ours)', `${book.ours.p50Micros.toFixed(2)} / ${book.ours.p99Micros.toFixed(2)} / ${book.ours.p999Micros.toFixed(2)}`, '', ''],
    ['per-op p50 / p99 / p99.9 µs (peer)', `${book.peer.p50Micros.toFixed(2)} / ${book.peer.p99Micros.toFixed(2)} / ${book.peer.p999Micros.toFixed(2)}`, '', ''],
    ['same final depth', String(book.depthMatches), 'true', book.depthMatches ? 'ok' : 'MISS'],
    ['full engine cmds/s (fsync per batch)', fmt(engine.commandsPerSecond), '>= 300,000', engine.commandsPerSecond >= 3e5 ? 'ok' : 'MISS'],
    ['recovery: snapshot + 1M commands, s', engine.recoverySeconds.toFixed(2), '<= 5', engine.recoverySeconds <= 5 ? 'ok' : 'MISS'],
    ['recovered state hash equals live', String(engine.recoveredMatches), 'true', engine.recoveredMatches ? 'ok' : 'MISS'],
  ];
  const { counts } = book.flow;
  console.log(
    `matching flow: ${fmt(book.flow.length)} ops = ${fmt(counts.limit)} limit (${fmt(counts.crossing)} crossing) / ${fmt(counts.cancel)} cancel / ${fmt(counts.market)} market; ${fmt(book.fills)} fills; ${book.resting} levels at the end; median of ${ROUNDS} runs`,
  );
  console.log(
    `engine flow: ${fmt(ENGINE_COMMANDS)} commands, 2 products, 32 users, ${fmt(engine.batches)} group commits, ${fmt(engine.events)} events, ${fmt(engine.rejections)} rejections, journal ${engine.journalMiB.toFixed(1)} MiB`,
  );
  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((row) => row[c]!.length), ['metric', 'value', 'target', ''][c]!.length));
  const line = (cells: string[]): string => cells.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ');
  console.log(line(['metric', 'value', 'target', '']));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const row of rows) console.log(line(row));
  console.log(
    JSON.stringify({
      ours_ops_per_s: Math.round(book.ours.opsPerSecond),
      peer_ops_per_s: Math.round(book.peer.opsPerSecond),
      ours_vs_peer: Number(ratio.toFixed(2)),
      ours_p50_us: book.ours.p50Micros,
      ours_p99_us: book.ours.p99Micros,
      peer_p50_us: book.peer.p50Micros,
      peer_p99_us: book.peer.p99Micros,
      depth_matches: book.depthMatches,
      engine_cmds_per_s: Math.round(engine.commandsPerSecond),
      recovery_1m_s: Number(engine.recoverySeconds.toFixed(3)),
      recovery_state_matches: engine.recoveredMatches,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
