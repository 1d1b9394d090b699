import type { SqlSchema } from '@sd/orm/sql-database';
import { ApiKeyEntity, RefreshTokenEntity, SessionEntity, UserEntity } from './auth.entities';
import { CreateAuthTables1763900000000 } from './migrations/1763900000000-create-auth-tables';
import { UserProfile1767000000000 } from './migrations/1767000000000-user-profile';

/**
 * The auth tables for `openSqlDatabase`. An app serving several domains concatenates their
 * `entities` and `migrations` and opens one database.
 */
export const authSqlSchema = {
  entities: [UserEntity, SessionEntity, RefreshTokenEntity, ApiKeyEntity],
  migrations: [CreateAuthTables1763900000000, UserProfile1767000000000],
} satisfies SqlSchema;
