import { statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandOutcome } from '@sd/domain/exchange/event';
import { CANDLE_GRANULARITIES, type CandleStore, type TradeStore } from '@sd/domain/exchange/market-data';
import type { OrderHistoryStore } from '@sd/domain/exchange/order-history';
import { openSqlDatabase } from '@sd/orm/sql-database';
import { encodeOutcomes } from '../mq/outcome-topic';
import { exchangeSqlSchema } from '../typeorm/exchange-sql-schema';
import { TypeormCandleStore, TypeormTradeStore } from '../typeorm/market-data.typeorm-repo';
import { TypeormOrderHistoryStore } from '../typeorm/order-history.typeorm-repo';
import { describeHoldContract } from '../../testing/hold-contract';
import { describeLedgerContract } from '../../testing/ledger-contract';
import { describeMarketDataContract } from '../../testing/market-data-contract';
import { describeOrderHistoryContract } from '../../testing/order-history-contract';
import { limit, market, OutcomeFixture, T0 } from '../../testing/outcome-fixture';
import { RandomCommands } from '../../testing/random-commands';
import { DEFAULT_CURRENCIES, DEFAULT_PRODUCTS } from '../../usecase/core/catalog/default-products';
import { ProductCatalog } from '../../usecase/core/catalog/product-catalog';
import { ExchangeEngine } from '../../usecase/core/engine/exchange-engine';
import { HistoryProjector } from '../../usecase/read/history/history-projector';
import { QuotationProjector } from '../../usecase/read/quotation/quotation-projector';
import { WorkerReadSide, type WorkerReadSideOptions } from './worker-read-side';

// The worker runs the built JavaScript (dist/repository/read-side-worker/read-side-worker.js): build first.
const inMemory: WorkerReadSideOptions = { sql: { kind: 'embedded' }, persistEveryMs: 0, currencies: DEFAULT_CURRENCIES, products: DEFAULT_PRODUCTS };

// One worker (one database) per test, shared by the stores a test opens.
let readSide: WorkerReadSide | undefined;
async function closeReadSide(): Promise<void> {
  await readSide?.close();
  readSide = undefined;
}
afterEach(closeReadSide);

describeOrderHistoryContract('worker thread over embedded sql.js', async () => {
  readSide ??= await WorkerReadSide.open(inMemory);
  return readSide.orders;
});

describeLedgerContract('worker thread over embedded sql.js', async () => {
  readSide ??= await WorkerReadSide.open(inMemory);
  return readSide.ledger;
});

describeHoldContract('worker thread over embedded sql.js', async () => {
  readSide ??= await WorkerReadSide.open(inMemory);
  return readSide.holds;
});

describeMarketDataContract('worker thread over embedded sql.js', async () => {
  readSide ??= await WorkerReadSide.open(inMemory);
  return { candles: readSide.candles, trades: readSide.trades };
});

describe('WorkerReadSide', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'worker-read-side-'))));
  afterEach(async () => {
    // Jest runs this before the outer afterEach: a worker still persisting into dir races rm.
    await closeReadSide();
    await rm(dir, { recursive: true, force: true });
  });

  it('projects the same orders, fills, trades and candles as the projectors in process, from outcomes or outcome messages', async () => {
    const batches = randomBatches(1_500, 250);
    const db = await openSqlDatabase({ kind: 'embedded' }, exchangeSqlSchema);
    try {
      const local = { orders: new TypeormOrderHistoryStore(db.dataSource), candles: new TypeormCandleStore(db.dataSource), trades: new TypeormTradeStore(db.dataSource) };
      const catalog = new ProductCatalog(DEFAULT_CURRENCIES, DEFAULT_PRODUCTS);
      const quotation = new QuotationProjector(catalog, local.candles, local.trades);
      const history = new HistoryProjector(catalog, local.orders);
      readSide = await WorkerReadSide.open(inMemory);
      for (const [index, batch] of batches.entries()) {
        await quotation.project(batch);
        await history.project(batch);
        if (index % 2 === 0) await readSide.project(batch);
        else await readSide.projectMessages([encodeOutcomes(batch.slice(0, 100)), encodeOutcomes(batch.slice(100))]);
      }
      const expected = await everything(local);
      expect(expected.fills.length).toBeGreaterThan(100);
      expect(expected.candles.length).toBeGreaterThan(10);
      expect(await everything(readSide)).toEqual(expected);
      expect(await readSide.orders.checkpoint()).toBe(batches.at(-1)!.at(-1)!.sequence);
    } finally {
      await db.close();
    }
  }, 30_000);

  it('answers an error thrown in the worker as an Error with its message', async () => {
    readSide = await WorkerReadSide.open(inMemory);
    const fx = new OutcomeFixture();
    fx.fund('alice', 'bob');
    const trade = fx.batch(limit('alice', 'sell', '20000', '1'), market('bob', 'buy', { size: '0.1' }));
    const unknownProduct = trade.map((outcome) => ({ ...outcome, events: outcome.events.map((event) => ({ ...event, productId: 'NOPE-USDT' })) }));
    await expect(readSide.project(unknownProduct)).rejects.toThrow(new Error('unknown product NOPE-USDT'));
    await readSide.project(trade); // the worker goes on serving
    expect(await readSide.trades.list('BTC-USDT', { limit: 10 })).toHaveLength(1);
  });

  it('persists on close to its file, and a new worker on that file sees the data', async () => {
    const options = onFile(join(dir, 'history.sqlite'), 0);
    const first = await WorkerReadSide.open(options);
    const outcomes = tradedOutcomes();
    await first.project(outcomes);
    const close = first.close();
    expect(first.close()).toBe(close);
    await close;
    await expect(first.orders.checkpoint()).rejects.toThrow('read-side worker is closed');
    readSide = await WorkerReadSide.open(options);
    expect(await readSide.orders.checkpoint()).toBe(outcomes.at(-1)!.sequence);
    expect(await readSide.orders.listFills('bob', { limit: 10 })).toHaveLength(1);
    expect(await readSide.trades.list('BTC-USDT', { limit: 10 })).toEqual([expect.objectContaining({ price: '20000.000000', size: '0.10000000' })]);
  });

  it('persists on its timer, so a worker that dies keeps what was persisted', async () => {
    const file = join(dir, 'history.sqlite');
    const options = onFile(file, 20);
    const first = await WorkerReadSide.open(options);
    const outcomes = tradedOutcomes();
    await first.project(outcomes);
    await twoPersistsOf(file);
    await first.terminate();
    readSide = await WorkerReadSide.open(options);
    expect(await readSide.orders.checkpoint()).toBe(outcomes.at(-1)!.sequence);
  });

  it('reports a failed timed persist, and a close that cannot persist rejects', async () => {
    const file = join(dir, 'history.sqlite');
    await mkdir(`${file}.tmp`); // where the persist writes first: now a directory
    const failures: Error[] = [];
    const broken = await WorkerReadSide.open({ ...onFile(file, 20), onPersistError: (error) => failures.push(error) });
    await until(() => failures.length > 0);
    expect(failures[0]!.message).toMatch(/^read-side persist failed: .*EISDIR/);
    await expect(broken.close()).rejects.toThrow(/EISDIR/);
  });

  it('rejects open with the error that kept the worker from opening its database', async () => {
    const file = join(dir, 'corrupt.sqlite');
    await writeFile(file, 'not a database, only text long enough to be read as one page header'.repeat(20));
    await expect(WorkerReadSide.open(onFile(file, 0))).rejects.toThrow('file is not a database');
    await expect(WorkerReadSide.open({ ...inMemory, products: [{ ...DEFAULT_PRODUCTS[0]!, baseCurrency: 'DOGE' }] })).rejects.toThrow(/DOGE/);
  });

  it('rejects pending and later calls when the worker dies, instead of hanging', async () => {
    const dying = await WorkerReadSide.open(inMemory);
    const pending = [dying.project(randomBatches(3_000, 3_000)[0]!), dying.orders.checkpoint()];
    await dying.terminate();
    for (const call of pending) await expect(call).rejects.toThrow('read-side worker exited with code 1');
    await expect(dying.trades.list('BTC-USDT', { limit: 1 })).rejects.toThrow('read-side worker exited with code 1');
    await expect(dying.close()).rejects.toThrow('read-side worker exited with code 1');
  });
});

/** An embedded database in `file`, written by the worker's timer and on close, as the app does. */
function onFile(file: string, persistEveryMs: number): WorkerReadSideOptions {
  return { ...inMemory, sql: { kind: 'embedded', file, persist: 'on-demand' }, persistEveryMs };
}

/** Outcomes of a seeded random command stream over every product, one command every 7 s. */
function randomBatches(commands: number, batchSize: number): CommandOutcome[][] {
  const catalog = new ProductCatalog(DEFAULT_CURRENCIES, DEFAULT_PRODUCTS);
  const engine = new ExchangeEngine(catalog);
  const stream = new RandomCommands(catalog, { seed: 42, users: 8 });
  const outcomes: CommandOutcome[] = [];
  for (let sequence = 1; sequence <= commands; sequence++) {
    outcomes.push(engine.apply({ sequence, timestamp: T0 + sequence * 7_000, command: stream.next(sequence) }));
  }
  const batches: CommandOutcome[][] = [];
  for (let i = 0; i < outcomes.length; i += batchSize) batches.push(outcomes.slice(i, i + batchSize));
  return batches;
}

/** Funding, then one trade of 0.1 BTC at 20000. */
function tradedOutcomes(): CommandOutcome[] {
  const fx = new OutcomeFixture();
  return [...fx.fund('alice', 'bob'), ...fx.batch(limit('alice', 'sell', '20000', '1'), market('bob', 'buy', { size: '0.1' }))];
}

/** Every row a read side holds for the random stream's users and the default products. */
async function everything(stores: { orders: OrderHistoryStore; candles: CandleStore; trades: TradeStore }) {
  const users = Array.from({ length: 8 }, (_, i) => `user-${i}`);
  const all = { limit: 1_000_000 };
  const products = DEFAULT_PRODUCTS.map((product) => product.id);
  const orders = await Promise.all(users.map((user) => stores.orders.listOrders(user, { status: 'all', ...all })));
  const fills = await Promise.all(users.map((user) => stores.orders.listFills(user, all)));
  const trades = await Promise.all(products.map((product) => stores.trades.list(product, all)));
  const candles = await Promise.all(products.flatMap((product) => CANDLE_GRANULARITIES.map((granularity) => stores.candles.list(product, granularity, all))));
  return { orders: orders.flat(), fills: fills.flat(), trades: trades.flat(), candles: candles.flat() };
}

/**
 * Resolves once two timed persists of `file` have finished since the call. Persists never
 * overlap, so the second began after the call and holds everything projected before it.
 */
async function twoPersistsOf(file: string): Promise<void> {
  const before = modifiedAt(file);
  const since = new Set<bigint>();
  await until(() => {
    const stamp = modifiedAt(file);
    if (stamp !== undefined && stamp !== before) since.add(stamp);
    return since.size >= 2;
  });
}

/** Each persist renames a freshly written file over `file`, so its mtime (in ns) tells persists apart. */
function modifiedAt(file: string): bigint | undefined {
  return statSync(file, { bigint: true, throwIfNoEntry: false })?.mtimeNs;
}

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
