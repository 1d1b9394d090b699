import type { SqliteSchema } from '@sd/orm/sqlite-database';

/**
 * The read-side tables on node:sqlite: the columns and indexes the typeorm entities describe
 * (market-data.entities.ts, ledger.entities.ts; a spec compares them), so a history file
 * written through typeorm and sql.js opens here as it is. Amounts are exact decimal text, as
 * there. A new file keys orders, ledger entries and holds by the rowid and the other tables
 * by their primary key (WITHOUT ROWID): one b-tree fewer to write per row.
 */
export const historySqliteSchema: SqliteSchema = {
  statements: [
    `CREATE TABLE IF NOT EXISTS "exchange_trades" ("product_id" varchar(64) NOT NULL, "trade_id" bigint NOT NULL, "price" varchar(64) NOT NULL,
      "size" varchar(64) NOT NULL, "side" varchar(4) NOT NULL, "time" bigint NOT NULL, "sequence" bigint NOT NULL,
      PRIMARY KEY ("product_id", "trade_id")) WITHOUT ROWID`,
    `CREATE TABLE IF NOT EXISTS "exchange_candles" ("product_id" varchar(64) NOT NULL, "granularity" integer NOT NULL, "time" bigint NOT NULL,
      "low" varchar(64) NOT NULL, "high" varchar(64) NOT NULL, "open" varchar(64) NOT NULL, "close" varchar(64) NOT NULL, "volume" varchar(64) NOT NULL,
      "last_sequence" bigint NOT NULL, PRIMARY KEY ("product_id", "granularity", "time")) WITHOUT ROWID`,
    `CREATE TABLE IF NOT EXISTS "exchange_orders" ("id" INTEGER PRIMARY KEY NOT NULL, "user_id" varchar(128) NOT NULL, "client_oid" varchar(128),
      "product_id" varchar(64) NOT NULL, "side" varchar(4) NOT NULL, "type" varchar(6) NOT NULL, "price" varchar(64), "size" varchar(64), "funds" varchar(64),
      "time_in_force" varchar(3) NOT NULL, "post_only" boolean NOT NULL, "stp" varchar(2) NOT NULL, "status" varchar(4) NOT NULL,
      "filled_size" varchar(64) NOT NULL, "executed_value" varchar(64) NOT NULL, "fill_fees" varchar(64) NOT NULL, "done_reason" varchar(8),
      "cancel_reason" varchar(16), "created_at" bigint NOT NULL, "done_at" bigint, "last_sequence" bigint NOT NULL)`,
    `CREATE INDEX IF NOT EXISTS "exchange_orders_user_client_oid_idx" ON "exchange_orders" ("user_id", "client_oid")`,
    `CREATE INDEX IF NOT EXISTS "exchange_orders_user_status_idx" ON "exchange_orders" ("user_id", "status", "id")`,
    `CREATE INDEX IF NOT EXISTS "exchange_orders_user_id_idx" ON "exchange_orders" ("user_id", "id")`,
    `CREATE TABLE IF NOT EXISTS "exchange_fills" ("trade_id" bigint NOT NULL, "liquidity" varchar(1) NOT NULL, "user_id" varchar(128) NOT NULL,
      "order_id" bigint NOT NULL, "product_id" varchar(64) NOT NULL, "price" varchar(64) NOT NULL, "size" varchar(64) NOT NULL, "fee" varchar(64) NOT NULL,
      "side" varchar(4) NOT NULL, "created_at" bigint NOT NULL, "sequence" bigint NOT NULL, PRIMARY KEY ("trade_id", "liquidity")) WITHOUT ROWID`,
    `CREATE INDEX IF NOT EXISTS "exchange_fills_user_order_idx" ON "exchange_fills" ("user_id", "order_id")`,
    `CREATE INDEX IF NOT EXISTS "exchange_fills_user_id_idx" ON "exchange_fills" ("user_id", "trade_id")`,
    `CREATE TABLE IF NOT EXISTS "exchange_checkpoints" ("name" varchar(32) PRIMARY KEY NOT NULL, "sequence" bigint NOT NULL) WITHOUT ROWID`,
    `CREATE TABLE IF NOT EXISTS "exchange_ledger" ("id" INTEGER PRIMARY KEY NOT NULL, "user_id" varchar(128) NOT NULL, "currency" varchar(32) NOT NULL,
      "amount" varchar(64) NOT NULL, "balance" varchar(64) NOT NULL, "type" varchar(8) NOT NULL, "order_id" bigint, "trade_id" bigint, "product_id" varchar(64),
      "transfer_id" bigint, "transfer_type" varchar(17), "created_at" bigint NOT NULL, "sequence" bigint NOT NULL)`,
    `CREATE INDEX IF NOT EXISTS "exchange_ledger_account_idx" ON "exchange_ledger" ("user_id", "currency", "id")`,
    `CREATE TABLE IF NOT EXISTS "exchange_transfers" ("id" bigint NOT NULL, "user_id" varchar(128) NOT NULL, "type" varchar(17) NOT NULL,
      "currency" varchar(32) NOT NULL, "amount" varchar(64) NOT NULL, "crypto_address" varchar(128), "created_at" bigint NOT NULL,
      PRIMARY KEY ("id", "user_id")) WITHOUT ROWID`,
    `CREATE INDEX IF NOT EXISTS "exchange_transfers_user_idx" ON "exchange_transfers" ("user_id", "id")`,
    `CREATE TABLE IF NOT EXISTS "exchange_holds" ("order_id" INTEGER PRIMARY KEY NOT NULL, "user_id" varchar(128) NOT NULL, "product_id" varchar(64) NOT NULL,
      "side" varchar(4) NOT NULL, "currency" varchar(32) NOT NULL, "amount" varchar(64) NOT NULL, "price" varchar(64) NOT NULL,
      "remaining_size" varchar(64) NOT NULL, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL)`,
    `CREATE INDEX IF NOT EXISTS "exchange_holds_account_idx" ON "exchange_holds" ("user_id", "currency", "order_id")`,
    `CREATE INDEX IF NOT EXISTS "exchange_holds_product_idx" ON "exchange_holds" ("product_id", "side")`,
  ],
};
