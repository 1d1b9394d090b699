import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The amount columns of each read-side table: prices, sizes, funds, fees and volumes. */
const AMOUNTS: Readonly<Record<string, readonly string[]>> = {
  exchange_trades: ['price', 'size'],
  exchange_candles: ['low', 'high', 'open', 'close', 'volume'],
  exchange_orders: ['price', 'size', 'funds', 'filled_size', 'executed_value', 'fill_fees'],
  exchange_fills: ['price', 'size', 'fee'],
};

/**
 * Amounts from canonical decimal strings (`varchar(64)`) to `numeric`, so SQL can sum and
 * range-query them. Unconstrained `numeric` keeps each value's own scale (a BTC amount's 8
 * decimals, a USDT amount's 6), so every stored string reads back unchanged: the cast is
 * exact and loses nothing. One rewrite per table.
 */
export class AmountsAsNumeric1766000000000 implements MigrationInterface {
  name = 'AmountsAsNumeric1766000000000';

  async up(runner: QueryRunner): Promise<void> {
    for (const [table, columns] of Object.entries(AMOUNTS)) {
      const changes = columns.map((column) => `ALTER COLUMN "${column}" TYPE numeric USING "${column}"::numeric`);
      await runner.query(`ALTER TABLE "${table}" ${changes.join(', ')}`);
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const [table, columns] of Object.entries(AMOUNTS)) {
      const changes = columns.map((column) => `ALTER COLUMN "${column}" TYPE varchar(64) USING "${column}"::text`);
      await runner.query(`ALTER TABLE "${table}" ${changes.join(', ')}`);
    }
  }
}
