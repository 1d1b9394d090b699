import type { SqlSchema } from '@sd/orm/sql-database';
import { HoldEntity, LedgerEntryEntity, TransferEntity } from './ledger.entities';
import { CandleEntity, CheckpointEntity, FillEntity, OrderEntity, TradeEntity } from './market-data.entities';
import { CreateMarketDataTables1764000000000 } from './migrations/1764000000000-create-market-data-tables';
import { AmountsAsNumeric1766000000000 } from './migrations/1766000000000-amounts-as-numeric';
import { CreateLedgerTables1767000000000 } from './migrations/1767000000000-create-ledger-tables';

/**
 * The exchange read-side tables for `openSqlDatabase`. An app serving several domains
 * concatenates their `entities` and `migrations` (with `authSqlSchema`, for example) and
 * opens one database.
 */
export const exchangeSqlSchema = {
  entities: [TradeEntity, CandleEntity, OrderEntity, FillEntity, CheckpointEntity, LedgerEntryEntity, TransferEntity, HoldEntity],
  migrations: [CreateMarketDataTables1764000000000, AmountsAsNumeric1766000000000, CreateLedgerTables1767000000000],
  // Its own table, so the history can share a PostgreSQL database with the auth domain.
  migrationsTableName: 'exchange_migrations',
} satisfies SqlSchema;
