import type { ChatChannel } from '@sd/domain/chat/channel';
import { chatErrors } from '@sd/domain/chat/errors';
import type { FriendLink } from '@sd/domain/chat/friendship';
import type { ChatMessage } from '@sd/domain/chat/message';

/** A conversation as a client names it: a channel by id, or the direct conversation with a user. */
export type Target = { channel: string } | { withUser: string };

export const channelConversation = (channelId: string): string => `channel:${channelId}`;

/** `dm:<a>:<b>` with the two ids sorted: both users name the same conversation. */
export const directConversation = (a: string, b: string): string => (a < b ? `dm:${a}:${b}` : `dm:${b}:${a}`);

/** The conversation as `viewer` names it. */
export function targetOf(conversation: string, viewer: string): Target {
  const [kind, first, second] = conversation.split(':') as [string, string, string];
  return kind === 'channel' ? { channel: first } : { withUser: first === viewer ? second : first };
}

/** The two users of a direct conversation, or undefined for a channel. */
export function directUsers(conversation: string): [string, string] | undefined {
  const [kind, first, second] = conversation.split(':');
  return kind === 'dm' ? [first!, second!] : undefined;
}

/** Ids as the hub makes them, and as a cursor must be. */
export const MESSAGE_ID = /^\d{13}-[0-9a-f]{12}$/;

/** A user or channel id from a frame: a non-empty string of at most 64 characters. */
export function idOf(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) throw chatErrors.malformedFrame(`${field} must be an id`);
  return value;
}

/** The client's view of a message. */
export function messageView(message: ChatMessage): Record<string, unknown> {
  const users = directUsers(message.conversation);
  return {
    id: message.id,
    ...(users ? { users } : { channel: message.conversation.slice('channel:'.length) }),
    sender_id: message.senderId,
    text: message.text,
    sent_at: new Date(message.sentAt).toISOString(),
  };
}

export const channelView = (channel: ChatChannel): Record<string, unknown> => ({ id: channel.id, name: channel.name, owner_id: channel.ownerId });

/** How `viewer` sees its link with the other user: a friend, a request either way, or nothing. */
export type FriendStatus = 'friend' | 'incoming' | 'outgoing' | 'none';

export function friendStatus(link: FriendLink | null, viewer: string): FriendStatus {
  if (!link) return 'none';
  if (link.status === 'accepted') return 'friend';
  return link.requester === viewer ? 'outgoing' : 'incoming';
}

export const otherUser = (link: Pick<FriendLink, 'requester' | 'addressee'>, viewer: string): string => (link.requester === viewer ? link.addressee : link.requester);
