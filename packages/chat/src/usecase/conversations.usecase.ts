import { randomBytes } from 'node:crypto';
import { chatErrors } from '@sd/domain/chat/errors';
import type { FriendStore } from '@sd/domain/chat/friendship';
import type { ChatMessage, MessageStore, ReadMarkerStore } from '@sd/domain/chat/message';
import type { ChannelsUseCase } from './channels.usecase';
import type { ChatEvents } from './chat-events';
import type { ChatSettings } from './chat-settings';
import { channelConversation, directConversation, idOf, MESSAGE_ID, otherUser, type Target } from './conversation';

/** Unread messages per conversation, as a client names them. */
export interface UnreadCounts {
  channels: Record<string, number>;
  direct: Record<string, number>;
}

/**
 * Messages in channels and direct conversations, history (one conversation's, or a user's
 * across all of theirs), read markers and unread counts. A message is stored, then published:
 * every instance hands it to its own connections of the members.
 */
export class ConversationsUseCase {
  private lastSentAt = 0;
  private sentInMs = 0;

  constructor(
    private readonly messages: MessageStore,
    private readonly markers: ReadMarkerStore,
    private readonly friends: FriendStore,
    private readonly channels: ChannelsUseCase,
    private readonly events: ChatEvents,
    private readonly settings: Pick<ChatSettings, 'maxTextLength' | 'maxPageSize' | 'directMessages'>,
    private readonly clock: () => number,
  ) {}

  async sendToChannel(user: string, channelId: unknown, text: unknown): Promise<ChatMessage> {
    this.assertText(text);
    const channel = await this.channels.membership(user, channelId);
    return this.send(user, channelConversation(channel.id), text as string);
  }

  async sendDirect(user: string, to: unknown, text: unknown): Promise<ChatMessage> {
    this.assertText(text);
    return this.send(user, await this.conversation(user, { withUser: idOf(to, 'to') }), text as string);
  }

  /** A page of history, newest first: of `target`, or of every conversation of `user` without one. `nextBefore` continues with older messages. */
  async history(user: string, target: Target | undefined, before: unknown, limit: unknown): Promise<{ messages: ChatMessage[]; nextBefore: string | null }> {
    if (before !== undefined && (typeof before !== 'string' || !MESSAGE_ID.test(before))) throw chatErrors.invalidCursor();
    const pageSize = limit === undefined ? this.settings.maxPageSize : Number(limit);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > this.settings.maxPageSize) {
      throw chatErrors.malformedFrame(`limit must be an integer in 1..${this.settings.maxPageSize}`);
    }
    const conversations = target ? [await this.conversation(user, target)] : await this.conversationsOf(user);
    const messages = await this.messages.history(conversations, { before: before as string | undefined, limit: pageSize });
    return { messages, nextBefore: messages.length === pageSize ? messages[messages.length - 1]!.id : null };
  }

  /** Marks `target` read up to `upTo` (default: its latest message); answers what is left unread there. */
  async markRead(user: string, target: Target, upTo: unknown): Promise<{ conversation: string; unread: number }> {
    if (upTo !== undefined && (typeof upTo !== 'string' || !MESSAGE_ID.test(upTo))) throw chatErrors.malformedFrame('up_to must be a message id');
    const conversation = await this.conversation(user, target);
    const [latest] = await this.messages.history([conversation], { limit: 1 });
    if (latest) {
      // Never past the latest message: a marker in the future would hide messages still to come.
      const marker = upTo === undefined || (upTo as string) > latest.id ? latest.id : (upTo as string);
      const now = await this.markers.markRead(user, conversation, marker);
      const unread = (await this.messages.unreadCounts(user, [{ conversation, after: now }])).get(conversation) ?? 0;
      await this.events.publish({ type: 'read', userId: user, conversation, unread });
      return { conversation, unread };
    }
    return { conversation, unread: 0 };
  }

  async unread(user: string): Promise<UnreadCounts> {
    const [conversations, markers] = await Promise.all([this.conversationsOf(user), this.markers.markers(user)]);
    const counts = await this.messages.unreadCounts(
      user,
      conversations.map((conversation) => ({ conversation, ...(markers.has(conversation) && { after: markers.get(conversation) }) })),
    );
    const unread: UnreadCounts = { channels: {}, direct: {} };
    for (const conversation of conversations) {
      const [kind, first, second] = conversation.split(':') as [string, string, string];
      if (kind === 'channel') unread.channels[first] = counts.get(conversation) ?? 0;
      else unread.direct[first === user ? second : first] = counts.get(conversation) ?? 0;
    }
    return unread;
  }

  /** The channels of `user`, and the direct conversations the policy lets them have. */
  async conversationsOf(user: string): Promise<string[]> {
    const [channels, links] = await Promise.all([this.channels.list(user), this.friends.linksOf(user)]);
    const direct = links.filter((link) => link.status === 'accepted' || this.settings.directMessages === 'requested');
    return [...channels.map((channel) => channelConversation(channel.id)), ...direct.map((link) => directConversation(user, otherUser(link, user)))];
  }

  /** The conversation `user` names, if they may read and write it. */
  private async conversation(user: string, target: Target): Promise<string> {
    if ('channel' in target) return channelConversation((await this.channels.membership(user, target.channel)).id);
    const other = idOf(target.withUser, 'with');
    const link = other === user ? null : await this.friends.find(user, other);
    const allowed = link !== null && (link.status === 'accepted' || this.settings.directMessages === 'requested');
    if (!allowed) throw chatErrors.directNotAllowed(this.settings.directMessages);
    return directConversation(user, other);
  }

  private assertText(text: unknown): void {
    if (typeof text !== 'string' || text.trim() === '' || text.length > this.settings.maxTextLength) throw chatErrors.invalidText(this.settings.maxTextLength);
  }

  private async send(senderId: string, conversation: string, text: string): Promise<ChatMessage> {
    const sentAt = this.clock();
    // Ids sort as messages were sent: the time, then a count within the millisecond (random
    // suffixes alone ordered two messages of one millisecond by chance), then randomness so
    // instances never collide.
    this.sentInMs = sentAt === this.lastSentAt ? this.sentInMs + 1 : 0;
    this.lastSentAt = sentAt;
    const id = `${String(sentAt).padStart(13, '0')}-${this.sentInMs.toString(16).padStart(4, '0')}${randomBytes(4).toString('hex')}`;
    const message: ChatMessage = { id, conversation, senderId, text, sentAt };
    await this.messages.append(message);
    await this.events.publish({ type: 'message', message });
    return message;
  }
}
