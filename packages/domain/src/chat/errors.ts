import { DomainError } from '../errors';

/** Every error the chat domain throws on purpose; a WebSocket client gets them as error frames. */
export const chatErrors = {
  malformedFrame: (reason: string): DomainError => new DomainError('CHAT.MALFORMED_FRAME', 'invalid', `malformed frame: ${reason}`),
  unknownChannel: (channel: string): DomainError => new DomainError('CHAT.UNKNOWN_CHANNEL', 'not_found', `no channel named ${channel}`),
  notJoined: (channel: string): DomainError => new DomainError('CHAT.NOT_JOINED', 'forbidden', `join ${channel} before sending to it`),
  unknownUser: (): DomainError => new DomainError('CHAT.UNKNOWN_USER', 'not_found', 'no such user'),
  invalidText: (max: number): DomainError =>
    new DomainError('CHAT.INVALID_TEXT', 'invalid', `text must be a non-blank string of at most ${max} characters`),
  invalidCursor: (): DomainError => new DomainError('CHAT.INVALID_CURSOR', 'invalid', 'before must be a message id from an earlier page'),
};
