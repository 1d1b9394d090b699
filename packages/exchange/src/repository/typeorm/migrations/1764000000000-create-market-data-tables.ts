import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hand-written PostgreSQL schema of the exchange read side (the embedded database is
 * synchronized from the entities instead). Amounts were canonical decimal strings here;
 * AmountsAsNumeric1766000000000 makes them numeric. Primary keys and indexes serve the
 * newest-first pages of each query.
 */
export class CreateMarketDataTables1764000000000 implements MigrationInterface {
  name = 'CreateMarketDataTables1764000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE "exchange_trades" (
        "product_id" varchar(64) NOT NULL,
        "trade_id" bigint NOT NULL,
        "price" varchar(64) NOT NULL,
        "size" varchar(64) NOT NULL,
        "side" varchar(4) NOT NULL,
        "time" bigint NOT NULL,
        "sequence" bigint NOT NULL,
        PRIMARY KEY ("product_id", "trade_id")
      )`);
    await runner.query(`
      CREATE TABLE "exchange_candles" (
        "product_id" varchar(64) NOT NULL,
        "granularity" integer NOT NULL,
        "time" bigint NOT NULL,
        "low" varchar(64) NOT NULL,
        "high" varchar(64) NOT NULL,
        "open" varchar(64) NOT NULL,
        "close" varchar(64) NOT NULL,
        "volume" varchar(64) NOT NULL,
        "last_sequence" bigint NOT NULL,
        PRIMARY KEY ("product_id", "granularity", "time")
      )`);
    await runner.query(`
      CREATE TABLE "exchange_orders" (
        "id" bigint PRIMARY KEY,
        "user_id" varchar(128) NOT NULL,
        "client_oid" varchar(128) NULL,
        "product_id" varchar(64) NOT NULL,
        "side" varchar(4) NOT NULL,
        "type" varchar(6) NOT NULL,
        "price" varchar(64) NULL,
        "size" varchar(64) NULL,
        "funds" varchar(64) NULL,
        "time_in_force" varchar(3) NOT NULL,
        "post_only" boolean NOT NULL,
        "stp" varchar(2) NOT NULL,
        "status" varchar(4) NOT NULL,
        "filled_size" varchar(64) NOT NULL,
        "executed_value" varchar(64) NOT NULL,
        "fill_fees" varchar(64) NOT NULL,
        "done_reason" varchar(8) NULL,
        "cancel_reason" varchar(16) NULL,
        "created_at" bigint NOT NULL,
        "done_at" bigint NULL,
        "last_sequence" bigint NOT NULL
      )`);
    await runner.query('CREATE INDEX "exchange_orders_user_id_idx" ON "exchange_orders" ("user_id", "id")');
    await runner.query('CREATE INDEX "exchange_orders_user_status_idx" ON "exchange_orders" ("user_id", "status", "id")');
    await runner.query('CREATE INDEX "exchange_orders_user_client_oid_idx" ON "exchange_orders" ("user_id", "client_oid")');
    await runner.query(`
      CREATE TABLE "exchange_fills" (
        "trade_id" bigint NOT NULL,
        "liquidity" varchar(1) NOT NULL,
        "user_id" varchar(128) NOT NULL,
        "order_id" bigint NOT NULL,
        "product_id" varchar(64) NOT NULL,
        "price" varchar(64) NOT NULL,
        "size" varchar(64) NOT NULL,
        "fee" varchar(64) NOT NULL,
        "side" varchar(4) NOT NULL,
        "created_at" bigint NOT NULL,
        "sequence" bigint NOT NULL,
        PRIMARY KEY ("trade_id", "liquidity")
      )`);
    await runner.query('CREATE INDEX "exchange_fills_user_id_idx" ON "exchange_fills" ("user_id", "trade_id")');
    await runner.query('CREATE INDEX "exchange_fills_user_order_idx" ON "exchange_fills" ("user_id", "order_id")');
    await runner.query(`
      CREATE TABLE "exchange_checkpoints" (
        "name" varchar(32) PRIMARY KEY,
        "sequence" bigint NOT NULL
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE "exchange_checkpoints"');
    await runner.query('DROP TABLE "exchange_fills"');
    await runner.query('DROP TABLE "exchange_orders"');
    await runner.query('DROP TABLE "exchange_candles"');
    await runner.query('DROP TABLE "exchange_trades"');
  }
}
