import type { SqlSchema } from '@sd/orm/sql-database';
import { ChannelEntity, ChannelMemberEntity, ChatUserEntity, FriendshipEntity, ReadMarkerEntity } from './chat-relations.entities';
import { MessageEntity } from './message.entity';
import { CreateChatMessages1764100000000 } from './migrations/1764100000000-create-chat-messages';
import { CreateChatRelations1764200000000 } from './migrations/1764200000000-create-chat-relations';

/** Chat users, friendships, channels and read markers: always in SQL. */
export const chatRelationsSqlSchema = {
  entities: [ChatUserEntity, FriendshipEntity, ChannelEntity, ChannelMemberEntity, ReadMarkerEntity],
  migrations: [CreateChatRelations1764200000000],
} satisfies SqlSchema;

/** The messages, when they are kept in SQL rather than MongoDB. */
export const chatMessagesSqlSchema = {
  entities: [MessageEntity],
  migrations: [CreateChatMessages1764100000000],
} satisfies SqlSchema;
