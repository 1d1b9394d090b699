import type { SqlSchema } from '@sd/orm/sql-database';
import { LinkEntity } from './link.entity';
import { CreateUrlLinks1764000000000 } from './migrations/1764000000000-create-url-links';

/** The URL shortener's tables for `openSqlDatabase`; an app concatenates them with other domains'. */
export const urlShortenerSqlSchema = {
  entities: [LinkEntity],
  migrations: [CreateUrlLinks1764000000000],
} satisfies SqlSchema;
