import { randomBytes } from 'node:crypto';
import type { UserRepository } from '@sd/domain/auth/user';
import { chatErrors } from '@sd/domain/chat/errors';
import type { ChatMessage, MessageStore } from '@sd/domain/chat/message';
import type { Logger } from '@sd/domain/logger';
import type { MessageBatch, MessageQueue, Subscription } from '@sd/domain/mq';

export interface ChatSettings {
  /** The channels that exist; joining any other is refused. */
  channels: readonly string[];
  maxTextLength: number;
  /** Most messages one history page returns. */
  maxPageSize: number;
  /** The MQ topic every instance publishes to and reads from. */
  topic: string;
  /** Names this instance: its consumer group and its presence snapshots. */
  instanceId: string;
  /** How often this instance republishes its presence; others forget it after three periods. */
  presenceIntervalMs: number;
}

/** A connected client as the hub sees it. */
export interface ChatConnection {
  readonly userId: string;
  send(event: Record<string, unknown>): void;
}

type Target = { channel: string } | { withUser: string };

type Event =
  | { type: 'message'; message: ChatMessage }
  | { type: 'presence'; instanceId: string; channels: Record<string, string[]> };

/**
 * Channels, direct messages, history and presence for the connections of this instance.
 * Messages are stored, then published to the MQ topic; every instance (the sender's too)
 * consumes the topic in a consumer group of its own and hands each message to its local
 * members, so each member gets it once, whichever instance it is connected to.
 */
export class ChatHub {
  private readonly members = new Map<string, Set<ChatConnection>>();
  private readonly joined = new Map<ChatConnection, Set<string>>();
  private readonly remotePresence = new Map<string, { at: number; channels: Record<string, string[]> }>();
  /** Ids delivered lately: a redelivery after a consumer restart is not shown twice. */
  private readonly recent = new Set<string>();
  private subscription: Subscription | undefined;
  private presenceTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: MessageStore,
    private readonly users: UserRepository,
    private readonly mq: MessageQueue,
    private readonly settings: ChatSettings,
    private readonly clock: () => number,
    private readonly logger: Logger,
  ) {}

  /** Joins the topic and waits until this instance receives from it. */
  async start(): Promise<void> {
    await this.mq.ensureTopic(this.settings.topic);
    let assigned!: () => void;
    const ready = new Promise<void>((resolve) => (assigned = resolve));
    this.subscription = await this.mq.subscribe({
      topic: this.settings.topic,
      groupId: `chat-${this.settings.instanceId}`,
      startFrom: 'latest',
      handler: (batch) => this.consume(batch),
      onError: (error) => this.logger.error({ err: error }, 'chat fan-out failed; retrying'),
      onAssigned: (partitions) => partitions.length > 0 && assigned(),
    });
    await ready;
    this.presenceTimer = setInterval(() => void this.publishPresence(), this.settings.presenceIntervalMs);
    this.presenceTimer.unref();
  }

  connect(connection: ChatConnection): void {
    this.joined.set(connection, new Set());
  }

  async disconnect(connection: ChatConnection): Promise<void> {
    const channels = this.joined.get(connection);
    this.joined.delete(connection);
    for (const channel of channels ?? []) this.members.get(channel)?.delete(connection);
    if (channels && channels.size > 0) await this.publishPresence();
  }

  /** Joins `channel`; answers who is online in it. */
  async join(connection: ChatConnection, channel: unknown): Promise<{ channel: string; online: string[] }> {
    const name = this.knownChannel(channel);
    this.joined.get(connection)?.add(name);
    let members = this.members.get(name);
    if (!members) this.members.set(name, (members = new Set()));
    members.add(connection);
    await this.publishPresence();
    return { channel: name, online: this.online(name) };
  }

  async leave(connection: ChatConnection, channel: unknown): Promise<{ channel: string }> {
    const name = this.knownChannel(channel);
    this.joined.get(connection)?.delete(name);
    this.members.get(name)?.delete(connection);
    await this.publishPresence();
    return { channel: name };
  }

  async sendToChannel(connection: ChatConnection, channel: unknown, text: unknown): Promise<ChatMessage> {
    const name = this.knownChannel(channel);
    if (!this.joined.get(connection)?.has(name)) throw chatErrors.notJoined(name);
    return this.send(connection.userId, `channel:${name}`, text);
  }

  async sendDirect(senderId: string, to: unknown, text: unknown): Promise<ChatMessage> {
    const recipient = await this.existingUser(to);
    return this.send(senderId, directConversation(senderId, recipient), text);
  }

  /** A page of history, newest first; `next_before` continues with older messages. */
  async history(userId: string, target: Target, before: unknown, limit: unknown): Promise<{ messages: ChatMessage[]; nextBefore: string | null }> {
    const conversation = 'channel' in target ? `channel:${this.knownChannel(target.channel)}` : directConversation(userId, await this.existingUser(target.withUser));
    if (before !== undefined && (typeof before !== 'string' || !MESSAGE_ID.test(before))) throw chatErrors.invalidCursor();
    const pageSize = limit === undefined ? this.settings.maxPageSize : Number(limit);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > this.settings.maxPageSize) {
      throw chatErrors.malformedFrame(`limit must be an integer in 1..${this.settings.maxPageSize}`);
    }
    const messages = await this.store.history(conversation, { before: before as string | undefined, limit: pageSize });
    return { messages, nextBefore: messages.length === pageSize ? messages[messages.length - 1]!.id : null };
  }

  /** Users with a connection joined to `channel` on any live instance, sorted. */
  online(channel: unknown): string[] {
    const name = this.knownChannel(channel);
    const users = new Set([...(this.members.get(name) ?? [])].map((connection) => connection.userId));
    const freshSince = this.clock() - 3 * this.settings.presenceIntervalMs;
    for (const [instanceId, snapshot] of this.remotePresence) {
      if (snapshot.at < freshSince) this.remotePresence.delete(instanceId);
      else for (const userId of snapshot.channels[name] ?? []) users.add(userId);
    }
    return [...users].sort();
  }

  async close(): Promise<void> {
    clearInterval(this.presenceTimer);
    for (const connection of this.joined.keys()) this.joined.set(connection, new Set());
    this.members.clear();
    try {
      await this.publishPresence(); // others drop this instance's users now, not after the timeout
    } catch (error) {
      this.logger.debug({ err: error }, 'final presence not published');
    }
    await this.subscription?.close();
  }

  private async send(senderId: string, conversation: string, text: unknown): Promise<ChatMessage> {
    if (typeof text !== 'string' || text.trim() === '' || text.length > this.settings.maxTextLength) throw chatErrors.invalidText(this.settings.maxTextLength);
    const sentAt = this.clock();
    const message: ChatMessage = { id: `${String(sentAt).padStart(13, '0')}-${randomBytes(6).toString('hex')}`, conversation, senderId, text, sentAt };
    await this.store.append(message);
    await this.publish({ type: 'message', message });
    return message;
  }

  private async consume(batch: MessageBatch): Promise<void> {
    for (const incoming of batch.messages) {
      const event = JSON.parse(incoming.value.toString('utf8')) as Event;
      if (event.type === 'presence') {
        if (event.instanceId !== this.settings.instanceId) this.remotePresence.set(event.instanceId, { at: this.clock(), channels: event.channels });
      } else this.deliver(event.message);
    }
    await batch.commit();
  }

  private deliver(message: ChatMessage): void {
    if (this.recent.has(message.id)) return;
    this.recent.add(message.id);
    if (this.recent.size > 10_000) this.recent.delete(this.recent.values().next().value!);
    const frame = { type: 'message', ...messageView(message) };
    if (message.conversation.startsWith('channel:')) {
      for (const connection of this.members.get(message.conversation.slice('channel:'.length)) ?? []) connection.send(frame);
      return;
    }
    const [, first, second] = message.conversation.split(':');
    for (const connection of this.joined.keys()) if (connection.userId === first || connection.userId === second) connection.send(frame);
  }

  private async publishPresence(): Promise<void> {
    const channels: Record<string, string[]> = {};
    for (const [channel, connections] of this.members) {
      if (connections.size > 0) channels[channel] = [...new Set([...connections].map((connection) => connection.userId))];
    }
    await this.publish({ type: 'presence', instanceId: this.settings.instanceId, channels });
  }

  private publish(event: Event): Promise<void> {
    return this.mq.publish(this.settings.topic, [{ value: Buffer.from(JSON.stringify(event)) }]);
  }

  private knownChannel(channel: unknown): string {
    if (typeof channel !== 'string') throw chatErrors.malformedFrame('channel must be a string');
    if (!this.settings.channels.includes(channel)) throw chatErrors.unknownChannel(channel.slice(0, 64));
    return channel;
  }

  private async existingUser(userId: unknown): Promise<string> {
    if (typeof userId !== 'string' || userId.length > 64 || !(await this.users.findById(userId))) throw chatErrors.unknownUser();
    return userId;
  }
}

const MESSAGE_ID = /^\d{13}-[0-9a-f]{12}$/;

const directConversation = (a: string, b: string): string => (a < b ? `dm:${a}:${b}` : `dm:${b}:${a}`);

/** The client's view of a message: a channel name, or the two users of a direct conversation. */
export function messageView(message: ChatMessage): Record<string, unknown> {
  const [kind, first, second] = message.conversation.split(':');
  return {
    id: message.id,
    ...(kind === 'channel' ? { channel: first } : { users: [first, second] }),
    sender_id: message.senderId,
    text: message.text,
    sent_at: new Date(message.sentAt).toISOString(),
  };
}
