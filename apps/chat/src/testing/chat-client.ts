import { randomUUID } from 'node:crypto';
import { testAuthAppConfig } from '@sd/auth/testing';
import { WebSocket } from 'ws';
import type { ChatConfig } from '../config';

/** A config for tests: `testAuthAppConfig`, SQL message store, memory MQ, no page, generous limits. */
export function testConfig(overrides: Partial<Omit<ChatConfig, 'chat'>> & { chat?: Partial<ChatConfig['chat']> } = {}): ChatConfig {
  const { chat, ...rest } = overrides;
  return {
    ...testAuthAppConfig(),
    store: { kind: 'sql' },
    mq: { kind: 'memory' },
    webRoot: null,
    ...rest,
    chat: {
      topic: 'chat.events',
      instanceId: randomUUID(),
      maxTextLength: 200,
      framesPerUser: { limit: 1_000, windowMs: 10_000 },
      directMessages: 'friends',
      maxChannelsPerUser: 100,
      maxFriendsPerUser: 1_000,
      presenceIntervalMs: 5_000,
      ...chat,
    },
  };
}

export type Frame = Record<string, unknown> & { type: string };

/** A WebSocket chat client that keeps every frame it receives. */
export class ChatClient {
  readonly frames: Frame[] = [];
  private waiters: Array<() => void> = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()) as Frame);
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  /** Connects with the token as bearer header, or unauthenticated without one; authenticated, it waits for the initial state (ready, friends, channels, unread). */
  static async connect(baseUrl: string, token?: string): Promise<ChatClient> {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/ws/chat`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    const client = new ChatClient(socket);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    if (token) await client.initialState();
    return client;
  }

  /** The frames a connection gets once authenticated. */
  async initialState(): Promise<{ ready: Frame; friends: Frame; channels: Frame; unread: Frame }> {
    const ready = await this.next((f) => f.type === 'ready');
    const friends = await this.next((f) => f.type === 'friends');
    const channels = await this.next((f) => f.type === 'channels');
    const unread = await this.next((f) => f.type === 'unread' && f.client_id === undefined);
    return { ready, friends, channels, unread };
  }

  send(frame: Record<string, unknown> | string): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Sends a frame and waits for the reply carrying its client_id. */
  async ask(frame: Record<string, unknown>): Promise<Frame> {
    const clientId = randomUUID();
    this.send({ ...frame, client_id: clientId });
    return this.next((f) => f.client_id === clientId);
  }

  /** Waits for (and removes) the first frame matching `match`. */
  async next(match: (frame: Frame) => boolean, timeoutMs = 5_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.frames.findIndex(match);
      if (index >= 0) return this.frames.splice(index, 1)[0]!;
      if (Date.now() > deadline) throw new Error(`no matching frame; received ${JSON.stringify(this.frames)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  /** Chat messages received so far (taken out of `frames`). */
  messages(): Frame[] {
    const taken = this.frames.filter((f) => f.type === 'message');
    this.frames.splice(0, this.frames.length, ...this.frames.filter((f) => f.type !== 'message'));
    return taken;
  }

  close(): void {
    this.socket.close();
  }
}
