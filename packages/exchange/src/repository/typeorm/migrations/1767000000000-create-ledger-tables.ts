import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The account ledger (every balance change, numbered by the store), the transfers (one row
 * per user side of a deposit, withdrawal or transfer) and the holds of resting orders. Each
 * index serves a newest-first page of one account (user and currency); the holds' product
 * index finds the buys a fee change reprices.
 */
export class CreateLedgerTables1767000000000 implements MigrationInterface {
  name = 'CreateLedgerTables1767000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE "exchange_ledger" (
        "id" bigint PRIMARY KEY,
        "user_id" varchar(128) NOT NULL,
        "currency" varchar(32) NOT NULL,
        "amount" numeric NOT NULL,
        "balance" numeric NOT NULL,
        "type" varchar(8) NOT NULL,
        "order_id" bigint,
        "trade_id" bigint,
        "product_id" varchar(64),
        "transfer_id" bigint,
        "transfer_type" varchar(17),
        "created_at" bigint NOT NULL,
        "sequence" bigint NOT NULL
      )`);
    await runner.query('CREATE INDEX "exchange_ledger_account_idx" ON "exchange_ledger" ("user_id", "currency", "id")');
    await runner.query(`
      CREATE TABLE "exchange_transfers" (
        "id" bigint NOT NULL,
        "user_id" varchar(128) NOT NULL,
        "type" varchar(17) NOT NULL,
        "currency" varchar(32) NOT NULL,
        "amount" numeric NOT NULL,
        "crypto_address" varchar(128),
        "created_at" bigint NOT NULL,
        PRIMARY KEY ("id", "user_id")
      )`);
    await runner.query('CREATE INDEX "exchange_transfers_user_idx" ON "exchange_transfers" ("user_id", "id")');
    await runner.query(`
      CREATE TABLE "exchange_holds" (
        "order_id" bigint PRIMARY KEY,
        "user_id" varchar(128) NOT NULL,
        "product_id" varchar(64) NOT NULL,
        "side" varchar(4) NOT NULL,
        "currency" varchar(32) NOT NULL,
        "amount" numeric NOT NULL,
        "price" numeric NOT NULL,
        "remaining_size" numeric NOT NULL,
        "created_at" bigint NOT NULL,
        "updated_at" bigint NOT NULL
      )`);
    await runner.query('CREATE INDEX "exchange_holds_account_idx" ON "exchange_holds" ("user_id", "currency", "order_id")');
    await runner.query('CREATE INDEX "exchange_holds_product_idx" ON "exchange_holds" ("product_id", "side")');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE "exchange_holds"');
    await runner.query('DROP TABLE "exchange_transfers"');
    await runner.query('DROP TABLE "exchange_ledger"');
  }
}
