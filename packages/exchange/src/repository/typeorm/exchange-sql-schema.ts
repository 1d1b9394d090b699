import type { SqlSchema } from '@sd/orm/sql-database';
import { CandleEntity, CheckpointEntity, FillEntity, OrderEntity, TradeEntity } from './market-data.entities';
import { CreateMarketDataTables1764000000000 } from './migrations/1764000000000-create-market-data-tables';
import { AmountsAsNumeric1766000000000 } from './migrations/1766000000000-amounts-as-numeric';

/**
 * The exchange read-side tables for `openSqlDatabase`. An app serving several domains
 * concatenates their `entities` and `migrations` (with `authSqlSchema`, for example) and
 * opens one database.
 */
export const exchangeSqlSchema = {
  entities: [TradeEntity, CandleEntity, OrderEntity, FillEntity, CheckpointEntity],
  migrations: [CreateMarketDataTables1764000000000, AmountsAsNumeric1766000000000],
  // Its own table, so the history can share a PostgreSQL database with the auth domain.
  migrationsTableName: 'exchange_migrations',
} satisfies SqlSchema;
