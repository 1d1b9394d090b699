import type { HoldStore, LedgerStore } from '@sd/domain/exchange/account-ledger';
import type { CandleStore, TradeStore } from '@sd/domain/exchange/market-data';
import type { OrderHistoryStore } from '@sd/domain/exchange/order-history';
import type { HealthCheck } from '@sd/domain/health';
import { openSqlDatabase, sqlHealthCheck, type SqlConfig } from '@sd/orm/sql-database';
import { openSqliteDatabase, type SqliteConfig } from '@sd/orm/sqlite-database';
import { historySqliteSchema } from './sqlite/history-sqlite-schema';
import { SqliteHoldStore, SqliteLedgerStore } from './sqlite/ledger.sqlite-repo';
import { SqliteCandleStore, SqliteTradeStore } from './sqlite/market-data.sqlite-repo';
import { SqliteOrderHistoryStore } from './sqlite/order-history.sqlite-repo';
import { exchangeSqlSchema } from './typeorm/exchange-sql-schema';
import { TypeormHoldStore, TypeormLedgerStore } from './typeorm/ledger.typeorm-repo';
import { TypeormCandleStore, TypeormTradeStore } from './typeorm/market-data.typeorm-repo';
import { TypeormOrderHistoryStore } from './typeorm/order-history.typeorm-repo';

/**
 * Where the history (orders, fills, trades, candles, ledger, transfers, holds) lives:
 * PostgreSQL through typeorm (distributed), or an embedded node:sqlite file through prepared
 * statements, written in place (sql.js rewrote its whole file on every persist: 3 to 5 times
 * the CPU per projected command).
 */
export type HistorySqlConfig = Extract<SqlConfig, { kind: 'postgres' }> | SqliteConfig;

/** The history database opened, with its stores. */
export interface HistoryDatabase {
  orders: OrderHistoryStore;
  candles: CandleStore;
  trades: TradeStore;
  ledger: LedgerStore;
  holds: HoldStore;
  health: HealthCheck;
  /** Runs a projection of one batch of outcomes over several stores: on node:sqlite, one transaction; on PostgreSQL, as it comes (each store commits its own). */
  batch<T>(work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * WAL pages between checkpoints of the embedded history (SQLite's default is 1,000, about 4 MB):
 * a checkpoint copies the log into the file and syncs it, inside the commit that crosses the mark.
 */
const WAL_CHECKPOINT_PAGES = 10_000;

export async function openHistoryDatabase(config: HistorySqlConfig): Promise<HistoryDatabase> {
  if (config.kind === 'sqlite') {
    const db = openSqliteDatabase(config, historySqliteSchema);
    db.statement(`PRAGMA wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`).get();
    return {
      orders: new SqliteOrderHistoryStore(db),
      candles: new SqliteCandleStore(db),
      trades: new SqliteTradeStore(db),
      ledger: new SqliteLedgerStore(db),
      holds: new SqliteHoldStore(db),
      health: { name: 'sqlite:history', check: () => db.ping() },
      batch: (work) => db.batch(work),
      close: () => db.close(),
    };
  }
  const db = await openSqlDatabase(config, exchangeSqlSchema);
  return {
    orders: new TypeormOrderHistoryStore(db.dataSource),
    candles: new TypeormCandleStore(db.dataSource),
    trades: new TypeormTradeStore(db.dataSource),
    ledger: new TypeormLedgerStore(db.dataSource),
    holds: new TypeormHoldStore(db.dataSource),
    health: sqlHealthCheck(db, 'history'),
    batch: (work) => work(),
    close: () => db.close(),
  };
}
