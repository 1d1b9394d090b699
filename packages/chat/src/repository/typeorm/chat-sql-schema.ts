import type { SqlSchema } from '@sd/orm/sql-database';
import { MessageEntity } from './message.entity';
import { CreateChatMessages1764100000000 } from './migrations/1764100000000-create-chat-messages';

/** The chat tables for `openSqlDatabase`; an app concatenates them with other domains'. */
export const chatSqlSchema = {
  entities: [MessageEntity],
  migrations: [CreateChatMessages1764100000000],
} satisfies SqlSchema;
