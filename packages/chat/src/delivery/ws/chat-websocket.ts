import type { IncomingMessage } from 'node:http';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Authenticator } from '@sd/domain/auth/authenticator';
import { chatErrors } from '@sd/domain/chat/errors';
import { isDomainError, type DomainError } from '@sd/domain/errors';
import type { Logger } from '@sd/domain/logger';
import { rateLimitExceeded, type RateLimiter, type RateLimitRule } from '@sd/domain/rate-limit';
import { authenticateWebSocket } from '@sd/http/websocket-auth';
import type { ChannelsUseCase } from '../../usecase/channels.usecase';
import type { ChatConnection, ChatHub } from '../../usecase/chat-hub';
import { channelView, messageView, type Target } from '../../usecase/conversation';
import type { ConversationsUseCase } from '../../usecase/conversations.usecase';
import type { FriendsUseCase } from '../../usecase/friends.usecase';

export interface ChatWebSocketSettings {
  /** Frames one user may send (over all its connections): a flood is refused frame by frame. */
  framesPerUser: RateLimitRule;
  /** Largest frame in bytes; a bigger one closes the connection (1009). */
  maxFrameBytes: number;
}

export interface ChatWebSocketDeps {
  hub: ChatHub;
  friends: FriendsUseCase;
  channels: ChannelsUseCase;
  conversations: ConversationsUseCase;
  authenticator: Authenticator;
  rateLimiter: RateLimiter;
  settings: ChatWebSocketSettings;
  logger: Logger;
}

type Frame = Record<string, unknown> & { type: string };
type Handler = (deps: ChatWebSocketDeps, userId: string, frame: Frame) => Promise<Record<string, unknown>>;

/**
 * The chat WebSocket (JSON frames). A client is authenticated by its upgrade request (bearer
 * header or `accessToken` cookie) or by a first `{"type":"auth","token"}` frame (or a Coinbase
 * signature); until then every other frame gets an error frame. Once in, it is sent its
 * friends, channels and unread counts, then whatever concerns it (see `ChatHub`). The frames
 * it may send are the keys of `handlers`; a request's `client_id` is echoed in its reply or error.
 */
export function createChatWebSocketServer(deps: ChatWebSocketDeps): WebSocketServer {
  const { hub, authenticator, rateLimiter, settings, logger } = deps;
  const wss = new WebSocketServer({ noServer: true, maxPayload: settings.maxFrameBytes });
  wss.on('connection', (socket: WebSocket, req: IncomingMessage) => {
    let connection: ChatConnection | undefined;
    // Frames are handled one at a time, in order, so a join is done before the next message.
    let queue: Promise<void> = Promise.resolve();
    const send = (event: Record<string, unknown>): void => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(event));
    };
    const authenticate = async (message?: unknown): Promise<DomainError | undefined> => {
      const result = await authenticateWebSocket(authenticator, { message, headers: req.headers });
      if (!result.ok) return result.error;
      connection = { userId: result.principal.userId, send };
      send({ type: 'ready', user_id: connection.userId });
      await hub.connect(connection);
      return undefined;
    };

    const handle = async (data: RawData): Promise<void> => {
      let frame: Frame | undefined;
      try {
        frame = parse(data);
        if (!connection) {
          if (frame.type !== 'auth') throw chatErrors.malformedFrame('authenticate first with {"type":"auth","token":"..."}');
          const error = await authenticate(frame);
          if (error) throw error;
          return;
        }
        const decision = await rateLimiter.consume(`chat-frames:${connection.userId}`, settings.framesPerUser);
        if (!decision.allowed) throw rateLimitExceeded(decision);
        const handler = Object.hasOwn(handlers, frame.type) ? handlers[frame.type] : undefined;
        if (!handler) throw chatErrors.malformedFrame(`unknown type ${JSON.stringify(frame.type).slice(0, 40)}`);
        const reply = await handler(deps, connection.userId, frame);
        send({ ...reply, ...(frame.client_id !== undefined && { client_id: frame.client_id }) });
      } catch (error) {
        if (!isDomainError(error)) logger.error({ err: error }, 'chat frame failed');
        send(errorFrame(error, frame));
      }
    };

    socket.on('message', (data) => {
      queue = queue.then(() => handle(data));
    });
    socket.on('close', () => {
      queue = queue
        .then(async () => {
          if (connection) await hub.disconnect(connection);
        })
        .catch((error: unknown) => logger.warn({ err: error }, 'chat disconnect not handled'));
    });
    socket.on('error', (error) => logger.debug({ err: error }, 'chat socket error'));
    if (req.headers.authorization !== undefined || req.headers.cookie !== undefined) {
      queue = queue.then(async () => {
        const error = await authenticate();
        if (error) send(errorFrame(error));
      });
    }
  });
  return wss;
}

const friendReply = ({ userId, status }: { userId: string; status: string }): Record<string, unknown> => ({ type: 'friend', user_id: userId, status });

/** What a client may ask, by frame type. */
const handlers: Record<string, Handler> = {
  friend_request: async ({ friends }, user, frame) => friendReply(await friends.request(user, frame.user_id)),
  friend_accept: async ({ friends }, user, frame) => friendReply(await friends.accept(user, frame.user_id)),
  friend_decline: async ({ friends }, user, frame) => friendReply(await friends.decline(user, frame.user_id)),
  friend_remove: async ({ friends }, user, frame) => friendReply(await friends.remove(user, frame.user_id)),
  friends: async ({ friends, hub }, user) => ({
    type: 'friends',
    friends: (await friends.list(user)).map(({ userId, status }) => ({ user_id: userId, status, ...(status === 'friend' && { online: hub.isOnline(userId) }) })),
  }),
  create_channel: async ({ channels }, user, frame) => ({ type: 'channel', channel: channelView(await channels.create(user, frame.name)), member: true }),
  join: async ({ channels }, user, frame) => ({ type: 'channel', channel: channelView(await channels.join(user, frame.channel)), member: true }),
  leave: async ({ channels }, user, frame) => ({ type: 'channel', channel: channelView(await channels.leave(user, frame.channel)), member: false }),
  rename_channel: async ({ channels }, user, frame) => ({ type: 'channel', channel: channelView(await channels.rename(user, frame.channel, frame.name)), member: true }),
  remove_member: async ({ channels }, user, frame) => {
    const channel = await channels.removeMember(user, frame.channel, frame.user_id);
    return { type: 'member', channel: channel.id, user_id: frame.user_id, joined: false };
  },
  channels: async ({ channels }, user) => ({ type: 'channels', channels: (await channels.list(user)).map(channelView) }),
  members: async ({ channels, hub }, user, frame) => {
    const { channel, members } = await channels.members(user, frame.channel);
    return { type: 'members', channel: channel.id, members: members.map((id) => ({ user_id: id, online: hub.isOnline(id), ...(id === channel.ownerId && { owner: true }) })) };
  },
  message: async ({ conversations }, user, frame) => ({ type: 'sent', id: (await conversations.sendToChannel(user, frame.channel, frame.text)).id }),
  direct: async ({ conversations }, user, frame) => ({ type: 'sent', id: (await conversations.sendDirect(user, frame.to, frame.text)).id }),
  history: async ({ conversations }, user, frame) => {
    const page = await conversations.history(user, targetOf(frame, { optional: true }), frame.before, frame.limit);
    return { type: 'history', messages: page.messages.map(messageView), next_before: page.nextBefore };
  },
  read: async ({ conversations }, user, frame) => {
    const target = targetOf(frame, { optional: false })!;
    const { unread } = await conversations.markRead(user, target, frame.up_to);
    return { type: 'unread', channels: 'channel' in target ? { [target.channel]: unread } : {}, direct: 'withUser' in target ? { [target.withUser]: unread } : {} };
  },
  unread: async ({ conversations }, user) => ({ type: 'unread', ...(await conversations.unread(user)) }),
};

/** `channel` or `with` of a frame; neither is a user's whole history where that is allowed. */
function targetOf(frame: Frame, { optional }: { optional: boolean }): Target | undefined {
  if (frame.channel !== undefined) return { channel: frame.channel as string };
  if (frame.with !== undefined) return { withUser: frame.with as string };
  if (optional) return undefined;
  throw chatErrors.malformedFrame('name a channel or a user (with)');
}

function parse(data: RawData): Frame {
  let value: unknown;
  try {
    value = JSON.parse(data.toString());
  } catch {
    throw chatErrors.malformedFrame('not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw chatErrors.malformedFrame('not a JSON object');
  if (typeof (value as Frame).type !== 'string') throw chatErrors.malformedFrame('type must be a string');
  return value as Frame;
}

function errorFrame(error: unknown, frame?: Frame): Record<string, unknown> {
  const known = isDomainError(error);
  return {
    type: 'error',
    code: known ? error.code : 'INTERNAL',
    message: known ? error.message : 'internal error',
    ...(known && typeof error.details?.retryAfterSeconds === 'number' && { retry_after_seconds: error.details.retryAfterSeconds }),
    ...(frame && { request_type: frame.type }),
    ...(frame?.client_id !== undefined && { client_id: frame.client_id }),
  };
}
