import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { openSqlDatabase } from '@sd/orm/sql-database';
import { openSqliteDatabase, type SqliteDatabase } from '@sd/orm/sqlite-database';
import { describeHoldContract } from '../../testing/hold-contract';
import { describeLedgerContract } from '../../testing/ledger-contract';
import { describeMarketDataContract } from '../../testing/market-data-contract';
import { describeOrderHistoryContract } from '../../testing/order-history-contract';
import { limit, market, OutcomeFixture } from '../../testing/outcome-fixture';
import { HistoryProjector } from '../../usecase/read/history/history-projector';
import { QuotationProjector } from '../../usecase/read/quotation/quotation-projector';
import { exchangeSqlSchema } from '../typeorm/exchange-sql-schema';
import { TypeormCandleStore, TypeormTradeStore } from '../typeorm/market-data.typeorm-repo';
import { TypeormOrderHistoryStore } from '../typeorm/order-history.typeorm-repo';
import { historySqliteSchema } from './history-sqlite-schema';
import { SqliteHoldStore, SqliteLedgerStore } from './ledger.sqlite-repo';
import { SqliteCandleStore, SqliteTradeStore } from './market-data.sqlite-repo';
import { SqliteOrderHistoryStore } from './order-history.sqlite-repo';

// node:sqlite in memory: one database per test, shared by the store instances a test opens.
let db: SqliteDatabase | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
});

describeOrderHistoryContract('node:sqlite', async () => {
  db ??= openSqliteDatabase({ kind: 'sqlite' }, historySqliteSchema);
  return new SqliteOrderHistoryStore(db);
});

describeLedgerContract('node:sqlite', async () => {
  db ??= openSqliteDatabase({ kind: 'sqlite' }, historySqliteSchema);
  return new SqliteLedgerStore(db);
});

describeHoldContract('node:sqlite', async () => {
  db ??= openSqliteDatabase({ kind: 'sqlite' }, historySqliteSchema);
  return new SqliteHoldStore(db);
});

describeMarketDataContract('node:sqlite', async () => {
  db = openSqliteDatabase({ kind: 'sqlite' }, historySqliteSchema);
  return { candles: new SqliteCandleStore(db), trades: new SqliteTradeStore(db) };
});

describe('the history on node:sqlite', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'history-sqlite-'))));
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('has the columns, keys and indexes the typeorm entities describe', async () => {
    const typeorm = await openSqlDatabase({ kind: 'embedded' }, exchangeSqlSchema);
    try {
      const entities = describeTables((sql, params) => typeorm.dataSource.query(sql, params));
      const native = (db = openSqliteDatabase({ kind: 'sqlite' }, historySqliteSchema));
      expect(await describeTables(async (sql, params) => native.statement(sql).all(...(params as string[])))).toEqual(await entities);
    } finally {
      await typeorm.close();
    }
  });

  it('reads and extends a history file typeorm wrote through sql.js', async () => {
    const file = join(dir, 'history.sqlite');
    const fx = new OutcomeFixture();
    const first = [...fx.fund('alice', 'bob'), ...fx.batch(limit('alice', 'sell', '20000', '1'), market('bob', 'buy', { size: '0.1' }))];
    const typeorm = await openSqlDatabase({ kind: 'embedded', file }, exchangeSqlSchema);
    await new HistoryProjector(fx.catalog, new TypeormOrderHistoryStore(typeorm.dataSource)).project(first);
    await new QuotationProjector(fx.catalog, new TypeormCandleStore(typeorm.dataSource), new TypeormTradeStore(typeorm.dataSource)).project(first);
    await typeorm.close();

    db = openSqliteDatabase({ kind: 'sqlite', file }, historySqliteSchema);
    const orders = new SqliteOrderHistoryStore(db);
    const trades = new SqliteTradeStore(db);
    expect(await orders.checkpoint()).toBe(first.at(-1)!.sequence);
    expect(await orders.listOrders('alice', { status: 'all', limit: 10 })).toEqual([expect.objectContaining({ price: '20000.000000', filledSize: '0.10000000', postOnly: false })]);
    const second = fx.batch(market('bob', 'buy', { size: '0.2' }));
    await new HistoryProjector(fx.catalog, orders).project(second);
    await new QuotationProjector(fx.catalog, new SqliteCandleStore(db), trades).project(second);
    expect((await trades.list('BTC-USDT', { limit: 10 })).map((trade) => trade.size)).toEqual(['0.20000000', '0.10000000']);
    expect(await orders.checkpoint()).toBe(second.at(-1)!.sequence);
  });

  it('keeps every commit across a reopen, in WAL mode', async () => {
    const file = join(dir, 'history.sqlite');
    const fx = new OutcomeFixture();
    const outcomes = [...fx.fund('alice', 'bob'), ...fx.batch(limit('alice', 'sell', '20000', '1'))];
    db = openSqliteDatabase({ kind: 'sqlite', file }, historySqliteSchema);
    await new HistoryProjector(fx.catalog, new SqliteOrderHistoryStore(db)).project(outcomes);
    // Another connection sees the commit before this one closes: it is in the file, not in memory.
    const reader = new DatabaseSync(file, { readOnly: true });
    expect(reader.prepare('SELECT count(*) AS n FROM exchange_orders').get()).toEqual({ n: 1 });
    expect(reader.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    reader.close();
    await db.close();
    db = openSqliteDatabase({ kind: 'sqlite', file }, historySqliteSchema);
    expect(await new SqliteOrderHistoryStore(db).checkpoint()).toBe(outcomes.at(-1)!.sequence);
  });
});

type Query = (sql: string, params: unknown[]) => Promise<unknown[]>;

/** Per table: each column's name, type affinity, NOT NULL and key position; each index's columns. */
async function describeTables(query: Query): Promise<Record<string, unknown>> {
  const tables = (await query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'exchange_%' ORDER BY name`, [])) as Array<{ name: string }>;
  const described: Record<string, unknown> = {};
  for (const { name } of tables) {
    const columns = (await query(`SELECT name, type, "notnull", pk FROM pragma_table_info(?) ORDER BY cid`, [name])) as Array<{ name: string; type: string; notnull: number; pk: number }>;
    const indexes = (await query(`SELECT name FROM pragma_index_list(?) WHERE origin = 'c' ORDER BY name`, [name])) as Array<{ name: string }>;
    described[name] = {
      columns: columns.map((column) => ({ ...column, type: affinity(column.type) })),
      indexes: await Promise.all(indexes.map(async (index) => ({ name: index.name, columns: ((await query('SELECT name FROM pragma_index_info(?) ORDER BY seqno', [index.name])) as Array<{ name: string }>).map((c) => c.name) }))),
    };
  }
  return described;
}

/** SQLite's type affinity of a declared column type (its rules, section 3.1 of "Datatypes In SQLite"). */
function affinity(declared: string): string {
  const type = declared.toUpperCase();
  if (type.includes('INT')) return 'INTEGER';
  if (/CHAR|CLOB|TEXT/.test(type)) return 'TEXT';
  return 'NUMERIC';
}
