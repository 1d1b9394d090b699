import { randomUUID } from 'node:crypto';
import type { ChannelStore, ChatChannel } from '@sd/domain/chat/channel';
import { chatErrors } from '@sd/domain/chat/errors';
import type { ChatEvents } from './chat-events';
import { CHANNEL_NAME_MAX, type ChatSettings } from './chat-settings';
import { idOf } from './conversation';

/**
 * Channels users create: anyone who knows a channel's id joins it; its owner renames it and
 * removes members. When the owner leaves, the longest-standing member owns it; when the last
 * member leaves, it is deleted. Every change is published for every instance's connections.
 */
export class ChannelsUseCase {
  constructor(
    private readonly channels: ChannelStore,
    private readonly events: ChatEvents,
    private readonly settings: Pick<ChatSettings, 'maxChannelsPerUser'>,
    private readonly clock: () => number,
  ) {}

  async create(user: string, name: unknown): Promise<ChatChannel> {
    const channel = { id: randomUUID(), name: channelName(name), ownerId: user, createdAt: this.clock() };
    await this.assertRoomFor(user);
    await this.channels.create(channel);
    await this.events.publish({ type: 'channel', channel, member: { userId: user, joined: true } });
    return channel;
  }

  /** Joins a channel; joining one again changes nothing. */
  async join(user: string, channelId: unknown): Promise<ChatChannel> {
    const channel = await this.existing(channelId);
    if (await this.channels.isMember(channel.id, user)) return channel;
    await this.assertRoomFor(user);
    if (await this.channels.addMember(channel.id, user, this.clock())) {
      await this.events.publish({ type: 'channel', channel, member: { userId: user, joined: true } });
    }
    return channel;
  }

  async leave(user: string, channelId: unknown): Promise<ChatChannel> {
    const channel = await this.existing(channelId);
    if (!(await this.channels.removeMember(channel.id, user))) throw chatErrors.notMember();
    return this.departed(channel, user);
  }

  async rename(user: string, channelId: unknown, name: unknown): Promise<ChatChannel> {
    const channel = await this.owned(user, channelId);
    const renamed = { ...channel, name: channelName(name) };
    await this.channels.update(channel.id, { name: renamed.name });
    await this.events.publish({ type: 'channel', channel: renamed });
    return renamed;
  }

  async removeMember(owner: string, channelId: unknown, userId: unknown): Promise<ChatChannel> {
    const channel = await this.owned(owner, channelId);
    const member = idOf(userId, 'user_id');
    if (member === owner) throw chatErrors.ownerStays();
    if (!(await this.channels.removeMember(channel.id, member))) throw chatErrors.noSuchMember();
    return this.departed(channel, member);
  }

  /** The members of a channel `user` belongs to, earliest joined first. */
  async members(user: string, channelId: unknown): Promise<{ channel: ChatChannel; members: string[] }> {
    const channel = await this.membership(user, channelId);
    return { channel, members: await this.channels.members(channel.id) };
  }

  list(user: string): Promise<ChatChannel[]> {
    return this.channels.channelsOf(user);
  }

  /** The channel, when `user` is one of its members: unknown ones are 404, others' are 403. */
  async membership(user: string, channelId: unknown): Promise<ChatChannel> {
    const channel = await this.existing(channelId);
    if (!(await this.channels.isMember(channel.id, user))) throw chatErrors.notMember();
    return channel;
  }

  private async departed(channel: ChatChannel, user: string): Promise<ChatChannel> {
    const remaining = await this.channels.members(channel.id);
    let now = channel;
    if (remaining.length === 0) await this.channels.delete(channel.id);
    else if (channel.ownerId === user) {
      now = { ...channel, ownerId: remaining[0]! };
      await this.channels.update(channel.id, { ownerId: now.ownerId });
    }
    await this.events.publish({ type: 'channel', channel: now, member: { userId: user, joined: false } });
    return now;
  }

  private async existing(channelId: unknown): Promise<ChatChannel> {
    const channel = await this.channels.find(idOf(channelId, 'channel'));
    if (!channel) throw chatErrors.unknownChannel();
    return channel;
  }

  private async owned(user: string, channelId: unknown): Promise<ChatChannel> {
    const channel = await this.existing(channelId);
    if (channel.ownerId !== user) throw chatErrors.notOwner();
    return channel;
  }

  private async assertRoomFor(user: string): Promise<void> {
    if ((await this.channels.channelsOf(user)).length >= this.settings.maxChannelsPerUser) throw chatErrors.tooManyChannels(this.settings.maxChannelsPerUser);
  }
}

function channelName(name: unknown): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (trimmed === '' || [...trimmed].length > CHANNEL_NAME_MAX || /\p{Cc}/u.test(trimmed)) throw chatErrors.invalidChannelName(CHANNEL_NAME_MAX);
  return trimmed;
}
