import type { HoldStore, LedgerStore } from '@sd/domain/exchange/account-ledger';
import type { CandleStore, TradeStore } from '@sd/domain/exchange/market-data';
import type { OrderHistoryStore } from '@sd/domain/exchange/order-history';
import type { HealthCheck } from '@sd/domain/health';
import { openSqlDatabase, persistPeriodically, sqlHealthCheck, type SqlConfig } from '@sd/orm/sql-database';
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
 * Where the history (orders, fills, trades, candles, ledger, transfers, holds) lives: PostgreSQL or sql.js through
 * typeorm (`SqlConfig`), or node:sqlite through prepared statements (`sqlite`, the embedded
 * default: native and written in place, where sql.js rewrites its whole file on every persist).
 */
export type HistorySqlConfig = SqlConfig | SqliteConfig;

/** The history database opened, with its stores. */
export interface HistoryDatabase {
  orders: OrderHistoryStore;
  candles: CandleStore;
  trades: TradeStore;
  ledger: LedgerStore;
  holds: HoldStore;
  health: HealthCheck;
  /**
   * Writes a database that lives in memory (sql.js) to its file every `everyMs`; answers the
   * function that stops it. The others write in place: nothing to do.
   */
  persistEvery(everyMs: number, onError: (error: unknown) => void): () => void;
  /** Persists what needs it and closes. */
  close(): Promise<void>;
}

export async function openHistoryDatabase(config: HistorySqlConfig): Promise<HistoryDatabase> {
  if (config.kind === 'sqlite') {
    const db = openSqliteDatabase(config, historySqliteSchema);
    return {
      orders: new SqliteOrderHistoryStore(db),
      candles: new SqliteCandleStore(db),
      trades: new SqliteTradeStore(db),
      ledger: new SqliteLedgerStore(db),
      holds: new SqliteHoldStore(db),
      health: { name: 'sqlite:history', check: () => db.ping() },
      persistEvery: () => () => undefined,
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
    persistEvery: (everyMs, onError) => (everyMs > 0 ? persistPeriodically(db, everyMs, onError) : () => undefined),
    close: () => db.close(),
  };
}
