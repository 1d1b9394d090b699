import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HoldStore, LedgerStore } from '@sd/domain/exchange/account-ledger';
import type { CommandOutcome } from '@sd/domain/exchange/event';
import { CANDLE_GRANULARITIES, type CandleStore, type TradeStore } from '@sd/domain/exchange/market-data';
import type { OrderHistoryStore } from '@sd/domain/exchange/order-history';
import { openSqlDatabase } from '@sd/orm/sql-database';
import { encodeOutcomes } from '../mq/outcome-topic';
import { exchangeSqlSchema } from '../typeorm/exchange-sql-schema';
import { TypeormHoldStore, TypeormLedgerStore } from '../typeorm/ledger.typeorm-repo';
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
import { HoldProjector } from '../../usecase/read/ledger/hold-projector';
import { LedgerProjector } from '../../usecase/read/ledger/ledger-projector';
import { QuotationProjector } from '../../usecase/read/quotation/quotation-projector';
import { ReadSideProjector } from '../../usecase/read/read-side-projector';
import type { ReadSideWorkerData } from './read-side-protocol';
import { WorkerReadSide } from './worker-read-side';

// The worker runs the built JavaScript (dist/repository/read-side-worker/read-side-worker.js): build first.
const inMemory: ReadSideWorkerData = { sql: { kind: 'sqlite' }, currencies: DEFAULT_CURRENCIES, products: DEFAULT_PRODUCTS };

// One worker (one database) per test, shared by the stores a test opens.
let readSide: WorkerReadSide | undefined;
async function closeReadSide(): Promise<void> {
  await readSide?.close();
  readSide = undefined;
}
afterEach(closeReadSide);

const open = async (): Promise<WorkerReadSide> => (readSide ??= await WorkerReadSide.open(inMemory));
describeOrderHistoryContract('worker thread over node:sqlite', async () => (await open()).orders);
describeLedgerContract('worker thread over node:sqlite', async () => (await open()).ledger);
describeHoldContract('worker thread over node:sqlite', async () => (await open()).holds);
describeMarketDataContract('worker thread over node:sqlite', async () => {
  const { candles, trades } = await open();
  return { candles, trades };
});

describe('WorkerReadSide', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'worker-read-side-'))));
  afterEach(async () => {
    // Jest runs this before the outer afterEach: a worker still writing into dir races rm.
    await closeReadSide();
    await rm(dir, { recursive: true, force: true });
  });

  it('projects the same orders, fills, trades, candles, ledger, transfers and holds as the projectors in process, from outcomes or outcome messages', async () => {
    const batches = randomBatches(1_500, 250);
    const db = await openSqlDatabase({ kind: 'embedded' }, exchangeSqlSchema);
    try {
      const { dataSource } = db;
      const local = {
        orders: new TypeormOrderHistoryStore(dataSource),
        candles: new TypeormCandleStore(dataSource),
        trades: new TypeormTradeStore(dataSource),
        ledger: new TypeormLedgerStore(dataSource),
        holds: new TypeormHoldStore(dataSource),
      };
      const catalog = new ProductCatalog(DEFAULT_CURRENCIES, DEFAULT_PRODUCTS);
      const projector = new ReadSideProjector(catalog, {
        quotation: new QuotationProjector(catalog, local.candles, local.trades),
        ledger: new LedgerProjector(catalog, local.ledger),
        holds: new HoldProjector(catalog, local.holds),
        history: new HistoryProjector(catalog, local.orders),
      });
      readSide = await WorkerReadSide.open(inMemory);
      for (const [index, batch] of batches.entries()) {
        await projector.project(batch);
        if (index % 2 === 0) await readSide.project(batch);
        else await readSide.projectMessages([encodeOutcomes(batch.slice(0, 100)), encodeOutcomes(batch.slice(100))]);
      }
      const expected = await everything(local);
      expect(expected.fills.length).toBeGreaterThan(100);
      expect(expected.ledger.length).toBeGreaterThan(100);
      expect(expected.holds.length).toBeGreaterThan(10);
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

  it('closes once, and a new worker on its file sees the data', async () => {
    const options = onFile(join(dir, 'history.sqlite'));
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

  it('killed while projecting, reopens at a checkpoint its rows cover, and catching up from there gives the rows of a run never killed', async () => {
    const batches = randomBatches(3_000, 250);
    readSide = await WorkerReadSide.open(inMemory);
    for (const batch of batches) await readSide.project(batch);
    const expected = await everything(readSide);
    await closeReadSide();

    const options = onFile(join(dir, 'history.sqlite'));
    const killed = await WorkerReadSide.open(options);
    for (const batch of batches.slice(0, 5)) await killed.project(batch);
    // Killed somewhere in the next batches: some stores may have committed a batch the history has not.
    void killed.project(batches[5]!).catch(() => undefined);
    void killed.project(batches[6]!).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 15));
    await killed.terminate();

    readSide = await WorkerReadSide.open(options);
    const checkpoint = await readSide.orders.checkpoint();
    expect(checkpoint).toBeGreaterThanOrEqual(batches[4]!.at(-1)!.sequence);
    expect(batches.map((batch) => batch.at(-1)!.sequence)).toContain(checkpoint);
    // As the engine republishes after a restart: every outcome after the read side's checkpoint.
    await readSide.project(batches.flat().filter((outcome) => outcome.sequence > checkpoint));
    expect(await everything(readSide)).toEqual(expected);
  }, 30_000);

  it('rejects open with the error that kept the worker from opening its database', async () => {
    const file = join(dir, 'corrupt.sqlite');
    await writeFile(file, 'not a database, only text long enough to be read as one page header'.repeat(20));
    await expect(WorkerReadSide.open(onFile(file))).rejects.toThrow('file is not a database');
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

/** The history in `file`, as the app keeps it. */
function onFile(file: string): ReadSideWorkerData {
  return { ...inMemory, sql: { kind: 'sqlite', file } };
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

/** Every row a read side holds for the random stream's users and the default products and currencies. */
async function everything(stores: { orders: OrderHistoryStore; candles: CandleStore; trades: TradeStore; ledger: LedgerStore; holds: HoldStore }) {
  const users = Array.from({ length: 8 }, (_, i) => `user-${i}`);
  const all = { limit: 1_000_000 };
  const products = DEFAULT_PRODUCTS.map((product) => product.id);
  const accounts = users.flatMap((user) => DEFAULT_CURRENCIES.map((currency) => [user, currency.id] as const));
  const orders = await Promise.all(users.map((user) => stores.orders.listOrders(user, { status: 'all', ...all })));
  const fills = await Promise.all(users.map((user) => stores.orders.listFills(user, all)));
  const trades = await Promise.all(products.map((product) => stores.trades.list(product, all)));
  const candles = await Promise.all(products.flatMap((product) => CANDLE_GRANULARITIES.map((granularity) => stores.candles.list(product, granularity, all))));
  const ledger = await Promise.all(accounts.map(([user, currency]) => stores.ledger.listEntries(user, currency, all)));
  const transfers = await Promise.all(users.map((user) => stores.ledger.listTransfers(user, all)));
  const holds = await Promise.all(accounts.map(([user, currency]) => stores.holds.listHolds(user, currency, all)));
  return { orders: orders.flat(), fills: fills.flat(), trades: trades.flat(), candles: candles.flat(), ledger: ledger.flat(), transfers: transfers.flat(), holds: holds.flat() };
}
