import { DomainError } from '../errors';

/** Every error the chat domain throws on purpose; a WebSocket client gets them as error frames. */
export const chatErrors = {
  malformedFrame: (reason: string): DomainError => new DomainError('CHAT.MALFORMED_FRAME', 'invalid', `malformed frame: ${reason}`),
  unknownChannel: (): DomainError => new DomainError('CHAT.UNKNOWN_CHANNEL', 'not_found', 'no such channel'),
  notMember: (): DomainError => new DomainError('CHAT.NOT_MEMBER', 'forbidden', 'join the channel first'),
  noSuchMember: (): DomainError => new DomainError('CHAT.NO_SUCH_MEMBER', 'not_found', 'no such member of the channel'),
  ownerStays: (): DomainError => new DomainError('CHAT.OWNER_STAYS', 'invalid', 'the owner cannot be removed; the owner may leave'),
  notOwner: (): DomainError => new DomainError('CHAT.NOT_OWNER', 'forbidden', 'only the channel owner may do that'),
  invalidChannelName: (max: number): DomainError =>
    new DomainError('CHAT.INVALID_CHANNEL_NAME', 'invalid', `a channel name is 1 to ${max} characters of text`),
  tooManyChannels: (max: number): DomainError => new DomainError('CHAT.TOO_MANY_CHANNELS', 'conflict', `a user may be in at most ${max} channels`),
  unknownUser: (): DomainError => new DomainError('CHAT.UNKNOWN_USER', 'not_found', 'no such chat user'),
  selfFriendship: (): DomainError => new DomainError('CHAT.SELF_FRIENDSHIP', 'invalid', 'you cannot befriend yourself'),
  alreadyFriends: (): DomainError => new DomainError('CHAT.ALREADY_FRIENDS', 'conflict', 'you are friends already'),
  noFriendRequest: (): DomainError => new DomainError('CHAT.NO_FRIEND_REQUEST', 'not_found', 'no such friend request'),
  notFriends: (): DomainError => new DomainError('CHAT.NOT_FRIENDS', 'not_found', 'you are not friends'),
  tooManyFriends: (max: number): DomainError => new DomainError('CHAT.TOO_MANY_FRIENDS', 'conflict', `a user may have at most ${max} friends and requests`),
  directNotAllowed: (policy: string): DomainError =>
    new DomainError('CHAT.DIRECT_NOT_ALLOWED', 'forbidden', policy === 'friends' ? 'you can message your friends only' : 'you can message your friends and friend requests only'),
  invalidText: (max: number): DomainError =>
    new DomainError('CHAT.INVALID_TEXT', 'invalid', `text must be a non-blank string of at most ${max} characters`),
  invalidCursor: (): DomainError => new DomainError('CHAT.INVALID_CURSOR', 'invalid', 'before must be a message id from an earlier page'),
};
