import { In, type DataSource, type Repository } from 'typeorm';
import type { ChannelStore, ChatChannel } from '@sd/domain/chat/channel';
import type { ChatUserStore, FriendLink, FriendStore } from '@sd/domain/chat/friendship';
import type { ReadMarkerStore } from '@sd/domain/chat/message';
import { exclusive } from '@sd/orm/embedded-lock';
import { ChannelEntity, ChannelMemberEntity, ChatUserEntity, FriendshipEntity, ReadMarkerEntity } from './chat-relations.entities';
import { placeholders } from './sql-dialect';

/*
 * Every statement runs under `exclusive`: the embedded database has one connection, so a
 * statement issued while another caller's transaction is open would join it.
 * Conditional inserts are `INSERT ... ON CONFLICT DO NOTHING RETURNING`, which PostgreSQL and
 * SQLite (3.35+) both know: a returned row says this call inserted it, also under a race.
 */

export class TypeormChatUserStore implements ChatUserStore {
  private readonly users: Repository<ChatUserEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.users = dataSource.getRepository(ChatUserEntity);
  }

  async register(userId: string, at: number): Promise<void> {
    const p = placeholders(this.dataSource);
    await exclusive(this.dataSource, () =>
      this.dataSource.query(`INSERT INTO "chat_users" ("user_id", "joined_at") VALUES (${p(1)}, ${p(2)}) ON CONFLICT DO NOTHING`, [userId, at]),
    );
  }

  async exists(userId: string): Promise<boolean> {
    return exclusive(this.dataSource, () => this.users.existsBy({ userId }));
  }
}

export class TypeormFriendStore implements FriendStore {
  private readonly links: Repository<FriendshipEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.links = dataSource.getRepository(FriendshipEntity);
  }

  async request(requester: string, addressee: string, at: number): Promise<boolean> {
    const [userLow, userHigh] = pair(requester, addressee);
    const p = placeholders(this.dataSource);
    const inserted: unknown[] = await exclusive(this.dataSource, () =>
      this.dataSource.query(
        `INSERT INTO "chat_friendships" ("user_low", "user_high", "requester", "status", "requested_at", "accepted_at")
         VALUES (${p(1)}, ${p(2)}, ${p(3)}, 'pending', ${p(4)}, NULL) ON CONFLICT DO NOTHING RETURNING "requester"`,
        [userLow, userHigh, requester, at],
      ),
    );
    return inserted.length === 1;
  }

  async accept(requester: string, addressee: string, at: number): Promise<boolean> {
    const [userLow, userHigh] = pair(requester, addressee);
    const result = await exclusive(this.dataSource, () =>
      this.links.update({ userLow, userHigh, requester, status: 'pending' }, { status: 'accepted', acceptedAt: at }),
    );
    return result.affected === 1;
  }

  async remove(a: string, b: string, options: { pendingFrom?: string } = {}): Promise<FriendLink | null> {
    const [userLow, userHigh] = pair(a, b);
    const where = { userLow, userHigh, ...(options.pendingFrom !== undefined && { requester: options.pendingFrom, status: 'pending' as const }) };
    return exclusive(this.dataSource, () =>
      this.dataSource.transaction(async (manager) => {
        const row = await manager.findOneBy(FriendshipEntity, where);
        if (!row) return null;
        const deleted = await manager.delete(FriendshipEntity, where);
        return deleted.affected === 1 ? toLink(row) : null;
      }),
    );
  }

  async find(a: string, b: string): Promise<FriendLink | null> {
    const [userLow, userHigh] = pair(a, b);
    const row = await exclusive(this.dataSource, () => this.links.findOneBy({ userLow, userHigh }));
    return row && toLink(row);
  }

  async linksOf(userId: string): Promise<FriendLink[]> {
    const rows = await exclusive(this.dataSource, () =>
      this.links.find({ where: [{ userLow: userId }, { userHigh: userId }], order: { requestedAt: 'ASC', userLow: 'ASC', userHigh: 'ASC' } }),
    );
    return rows.map(toLink);
  }
}

export class TypeormChannelStore implements ChannelStore {
  private readonly channels: Repository<ChannelEntity>;
  private readonly memberships: Repository<ChannelMemberEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.channels = dataSource.getRepository(ChannelEntity);
    this.memberships = dataSource.getRepository(ChannelMemberEntity);
  }

  async create(channel: ChatChannel): Promise<void> {
    await exclusive(this.dataSource, () =>
      this.dataSource.transaction(async (manager) => {
        await manager.insert(ChannelEntity, { ...channel });
        await manager.insert(ChannelMemberEntity, { channelId: channel.id, userId: channel.ownerId, joinedAt: channel.createdAt });
      }),
    );
  }

  async find(id: string): Promise<ChatChannel | null> {
    const row = await exclusive(this.dataSource, () => this.channels.findOneBy({ id }));
    return row && { ...row };
  }

  async update(id: string, changes: Partial<Pick<ChatChannel, 'name' | 'ownerId'>>): Promise<boolean> {
    const result = await exclusive(this.dataSource, () => this.channels.update({ id }, changes));
    return result.affected === 1;
  }

  async delete(id: string): Promise<void> {
    await exclusive(this.dataSource, () =>
      this.dataSource.transaction(async (manager) => {
        await manager.delete(ChannelMemberEntity, { channelId: id });
        await manager.delete(ChannelEntity, { id });
      }),
    );
  }

  async addMember(channelId: string, userId: string, at: number): Promise<boolean> {
    const p = placeholders(this.dataSource);
    const inserted: unknown[] = await exclusive(this.dataSource, () =>
      this.dataSource.query(
        `INSERT INTO "chat_channel_members" ("channel_id", "user_id", "joined_at")
         SELECT ${p(1)}, ${p(2)}, ${p(3)} WHERE EXISTS (SELECT 1 FROM "chat_channels" WHERE "id" = ${p(4)})
         ON CONFLICT DO NOTHING RETURNING "user_id"`,
        [channelId, userId, at, channelId],
      ),
    );
    return inserted.length === 1;
  }

  async removeMember(channelId: string, userId: string): Promise<boolean> {
    const result = await exclusive(this.dataSource, () => this.memberships.delete({ channelId, userId }));
    return result.affected === 1;
  }

  async isMember(channelId: string, userId: string): Promise<boolean> {
    return exclusive(this.dataSource, () => this.memberships.existsBy({ channelId, userId }));
  }

  async members(channelId: string): Promise<string[]> {
    const rows = await exclusive(this.dataSource, () => this.memberships.find({ where: { channelId }, order: { joinedAt: 'ASC', userId: 'ASC' } }));
    return rows.map((row) => row.userId);
  }

  async channelsOf(userId: string): Promise<ChatChannel[]> {
    return exclusive(this.dataSource, async () => {
      const memberships = await this.memberships.find({ where: { userId }, order: { joinedAt: 'ASC', channelId: 'ASC' } });
      if (memberships.length === 0) return [];
      const byId = new Map((await this.channels.findBy({ id: In(memberships.map((m) => m.channelId)) })).map((row) => [row.id, row]));
      return memberships.flatMap((m) => {
        const row = byId.get(m.channelId);
        return row ? [{ ...row }] : [];
      });
    });
  }

  async coMembers(userId: string): Promise<string[]> {
    const p = placeholders(this.dataSource);
    const rows: Array<{ user_id: string }> = await exclusive(this.dataSource, () =>
      this.dataSource.query(
        `SELECT DISTINCT other."user_id" FROM "chat_channel_members" mine
         JOIN "chat_channel_members" other ON other."channel_id" = mine."channel_id"
         WHERE mine."user_id" = ${p(1)} AND other."user_id" <> ${p(2)}`,
        [userId, userId],
      ),
    );
    return rows.map((row) => row.user_id).sort();
  }
}

export class TypeormReadMarkerStore implements ReadMarkerStore {
  private readonly markersRepo: Repository<ReadMarkerEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.markersRepo = dataSource.getRepository(ReadMarkerEntity);
  }

  async markRead(userId: string, conversation: string, messageId: string): Promise<string> {
    const p = placeholders(this.dataSource);
    // Forward only, in one statement: two instances marking at once keep the further marker.
    const [row]: Array<{ last_read: string }> = await exclusive(this.dataSource, () =>
      this.dataSource.query(
        `INSERT INTO "chat_read_markers" ("user_id", "conversation", "last_read") VALUES (${p(1)}, ${p(2)}, ${p(3)})
         ON CONFLICT ("user_id", "conversation") DO UPDATE SET "last_read" =
           CASE WHEN excluded."last_read" > "chat_read_markers"."last_read" THEN excluded."last_read" ELSE "chat_read_markers"."last_read" END
         RETURNING "last_read"`,
        [userId, conversation, messageId],
      ),
    );
    return row!.last_read;
  }

  async markers(userId: string): Promise<Map<string, string>> {
    const rows = await exclusive(this.dataSource, () => this.markersRepo.findBy({ userId }));
    return new Map(rows.map((row) => [row.conversation, row.lastRead]));
  }
}

const pair = (a: string, b: string): [string, string] => (a < b ? [a, b] : [b, a]);

function toLink(row: FriendshipEntity): FriendLink {
  const other = row.requester === row.userLow ? row.userHigh : row.userLow;
  return { requester: row.requester, addressee: other, status: row.status, requestedAt: row.requestedAt, acceptedAt: row.acceptedAt };
}
