import { Column, Entity, Index, PrimaryColumn, type ValueTransformer } from 'typeorm';

const bigintNumber: ValueTransformer = { to: (value: number | null) => value, from: (value: string | number | null) => (value === null ? null : Number(value)) };

/** Users who have connected to the chat. */
@Entity({ name: 'chat_users' })
export class ChatUserEntity {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 64 })
  userId!: string;

  @Column({ name: 'joined_at', type: 'bigint', transformer: bigintNumber })
  joinedAt!: number;
}

/** One row per pair of users (`user_low` < `user_high`), so a request and its reverse collide. */
@Entity({ name: 'chat_friendships' })
@Index('chat_friendships_high_idx', ['userHigh'])
export class FriendshipEntity {
  @PrimaryColumn({ name: 'user_low', type: 'varchar', length: 64 })
  userLow!: string;

  @PrimaryColumn({ name: 'user_high', type: 'varchar', length: 64 })
  userHigh!: string;

  @Column({ type: 'varchar', length: 64 })
  requester!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: 'pending' | 'accepted';

  @Column({ name: 'requested_at', type: 'bigint', transformer: bigintNumber })
  requestedAt!: number;

  @Column({ name: 'accepted_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  acceptedAt!: number | null;
}

@Entity({ name: 'chat_channels' })
export class ChannelEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  name!: string;

  @Column({ name: 'owner_id', type: 'varchar', length: 64 })
  ownerId!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt!: number;
}

/** A user's channels are found through the user index; a channel's members through the key. */
@Entity({ name: 'chat_channel_members' })
@Index('chat_channel_members_user_idx', ['userId'])
export class ChannelMemberEntity {
  @PrimaryColumn({ name: 'channel_id', type: 'varchar', length: 36 })
  channelId!: string;

  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 64 })
  userId!: string;

  @Column({ name: 'joined_at', type: 'bigint', transformer: bigintNumber })
  joinedAt!: number;
}

@Entity({ name: 'chat_read_markers' })
export class ReadMarkerEntity {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 64 })
  userId!: string;

  @PrimaryColumn({ type: 'varchar', length: 160 })
  conversation!: string;

  @Column({ name: 'last_read', type: 'varchar', length: 32 })
  lastRead!: string;
}
