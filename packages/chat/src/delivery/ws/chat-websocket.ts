import type { IncomingMessage } from 'node:http';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { authenticateWebSocket } from '@sd/auth/delivery/ws/websocket-auth';
import type { Authenticator } from '@sd/domain/auth/authenticator';
import { chatErrors } from '@sd/domain/chat/errors';
import { isDomainError, type DomainError } from '@sd/domain/errors';
import type { Logger } from '@sd/domain/logger';
import { rateLimitExceeded, type RateLimiter, type RateLimitRule } from '@sd/domain/rate-limit';
import { messageView, type ChatConnection, type ChatHub } from '../../usecase/chat-hub';

export interface ChatWebSocketSettings {
  /** Frames one user may send (over all its connections): a flood is refused frame by frame. */
  framesPerUser: RateLimitRule;
  /** Largest frame in bytes; a bigger one closes the connection (1009). */
  maxFrameBytes: number;
}

export interface ChatWebSocketDeps {
  hub: ChatHub;
  authenticator: Authenticator;
  rateLimiter: RateLimiter;
  settings: ChatWebSocketSettings;
  logger: Logger;
}

type Frame = Record<string, unknown> & { type: string };

/**
 * The chat WebSocket (JSON frames). A client is authenticated by its upgrade request (bearer
 * header or `accessToken` cookie) or by a first `{"type":"auth","token"}` frame (or a Coinbase
 * signature); until then every other frame gets an `AUTH.UNAUTHENTICATED` error frame.
 * Frames: join, leave, message {channel, text}, direct {to, text}, history {channel | with,
 * before, limit}, presence {channel}. A request's `client_id` is echoed in its reply or error.
 */
export function createChatWebSocketServer({ hub, authenticator, rateLimiter, settings, logger }: ChatWebSocketDeps): WebSocketServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: settings.maxFrameBytes });
  wss.on('connection', (socket: WebSocket, req: IncomingMessage) => {
    let connection: ChatConnection | undefined;
    // Frames are handled one at a time, in order, so a join is done before the next message.
    let queue: Promise<void> = Promise.resolve();
    const send = (event: Record<string, unknown>): void => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(event));
    };
    const register = (userId: string): void => {
      connection = { userId, send };
      hub.connect(connection);
      send({ type: 'ready', user_id: userId });
    };
    const authenticate = async (message?: unknown): Promise<DomainError | undefined> => {
      const result = await authenticateWebSocket(authenticator, { message, headers: req.headers });
      if (!result.ok) return result.error;
      register(result.principal.userId);
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
        const reply = await dispatch(hub, connection, frame);
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
      queue = queue.then(async () => {
        if (connection) await hub.disconnect(connection);
      });
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

async function dispatch(hub: ChatHub, connection: ChatConnection, frame: Frame): Promise<Record<string, unknown>> {
  switch (frame.type) {
    case 'join':
      return { type: 'joined', ...(await hub.join(connection, frame.channel)) };
    case 'leave':
      return { type: 'left', ...(await hub.leave(connection, frame.channel)) };
    case 'message':
      return { type: 'sent', id: (await hub.sendToChannel(connection, frame.channel, frame.text)).id };
    case 'direct':
      return { type: 'sent', id: (await hub.sendDirect(connection.userId, frame.to, frame.text)).id };
    case 'history': {
      const target = frame.with !== undefined ? { withUser: frame.with as string } : { channel: frame.channel as string };
      const page = await hub.history(connection.userId, target, frame.before, frame.limit);
      return { type: 'history', messages: page.messages.map(messageView), next_before: page.nextBefore };
    }
    case 'presence':
      return { type: 'presence', channel: frame.channel, online: hub.online(frame.channel) };
    default:
      throw chatErrors.malformedFrame(`unknown type ${JSON.stringify(frame.type).slice(0, 40)}`);
  }
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
