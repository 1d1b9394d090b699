/** A channel users created; its owner renames it and removes members. */
export interface ChatChannel {
  id: string;
  name: string;
  ownerId: string;
  createdAt: number;
}

/** Channels and their members. */
export interface ChannelStore {
  /** Stores the channel with its owner as its first member. */
  create(channel: ChatChannel): Promise<void>;
  find(id: string): Promise<ChatChannel | null>;
  /** Changes the name or the owner; false when the channel is gone. */
  update(id: string, changes: Partial<Pick<ChatChannel, 'name' | 'ownerId'>>): Promise<boolean>;
  /** Deletes the channel and its memberships. */
  delete(id: string): Promise<void>;
  /** Adds a member; false when already one (or the channel is gone). */
  addMember(channelId: string, userId: string, at: number): Promise<boolean>;
  /** Removes a member; false when not one. */
  removeMember(channelId: string, userId: string): Promise<boolean>;
  isMember(channelId: string, userId: string): Promise<boolean>;
  /** Member ids, earliest joined first. */
  members(channelId: string): Promise<string[]>;
  /** The channels `userId` is a member of, earliest joined first. */
  channelsOf(userId: string): Promise<ChatChannel[]>;
  /** Everyone sharing at least one channel with `userId`, `userId` excluded. */
  coMembers(userId: string): Promise<string[]>;
}

export const ChannelStore = Symbol.for('sd.chat.ChannelStore');
