import type { ChannelStore } from '@sd/domain/chat/channel';
import type { ChatUserStore } from '@sd/domain/chat/friendship';
import type { ChatMessage } from '@sd/domain/chat/message';
import type { Logger } from '@sd/domain/logger';
import type { MessageBatch, MessageQueue, Subscription } from '@sd/domain/mq';
import type { ChannelsUseCase } from './channels.usecase';
import type { ChatEvent, ChatEvents } from './chat-events';
import type { ChatSettings } from './chat-settings';
import { channelView, directUsers, friendStatus, messageView, targetOf } from './conversation';
import type { ConversationsUseCase } from './conversations.usecase';
import type { FriendsUseCase } from './friends.usecase';
import { PresenceBoard, type PresenceChange } from './presence-board';

/** A connected client as the hub sees it. */
export interface ChatConnection {
  readonly userId: string;
  send(event: Record<string, unknown>): void;
}

export interface ChatHubDeps {
  mq: MessageQueue;
  events: ChatEvents;
  users: ChatUserStore;
  channelStore: ChannelStore;
  friends: FriendsUseCase;
  channels: ChannelsUseCase;
  conversations: ConversationsUseCase;
  settings: Pick<ChatSettings, 'topic' | 'instanceId' | 'presenceIntervalMs'>;
  clock: () => number;
  logger: Logger;
}

/**
 * The connections of this instance, and what reaches them: on connect, the user's friends
 * (online or not), channels and unread counts; then every chat event of the topic that
 * concerns them, whichever instance it came from. Presence is counted per instance and told
 * to the others on the topic (see `PresenceBoard`): a friend or channel member hears that a
 * user went online with their first connection anywhere and offline with their last.
 */
export class ChatHub {
  private readonly connections = new Map<string, Set<ChatConnection>>();
  /** Local users subscribed to each channel's messages. */
  private readonly subscribers = new Map<string, Set<string>>();
  private readonly board: PresenceBoard;
  /** Ids delivered lately: a redelivery after a consumer restart is not shown twice. */
  private readonly recent = new Set<string>();
  private subscription: Subscription | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  /** Set by `close`: connections closing after it (the server ends them all) change nothing. */
  private closed = false;

  constructor(private readonly deps: ChatHubDeps) {
    this.board = new PresenceBoard(3 * deps.settings.presenceIntervalMs);
  }

  /** Joins the topic, waits until this instance receives from it, and asks the others who is online. */
  async start(): Promise<void> {
    const { mq, settings, logger } = this.deps;
    await mq.ensureTopic(settings.topic);
    let assigned!: () => void;
    const ready = new Promise<void>((resolve) => (assigned = resolve));
    this.subscription = await mq.subscribe({
      topic: settings.topic,
      groupId: `chat-${settings.instanceId}`,
      startFrom: 'latest',
      handler: (batch) => this.consume(batch),
      onError: (error) => logger.error({ err: error }, 'chat fan-out failed; retrying'),
      onAssigned: (partitions) => partitions.length > 0 && assigned(),
    });
    await ready;
    await this.deps.events.publish({ type: 'sync', instanceId: settings.instanceId });
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), settings.presenceIntervalMs);
    this.heartbeatTimer.unref();
  }

  /** Registers a connection and sends it the user's friends, channels and unread counts. */
  async connect(connection: ChatConnection): Promise<void> {
    const { userId } = connection;
    await this.deps.users.register(userId, this.deps.clock());
    let mine = this.connections.get(userId);
    if (!mine) {
      this.connections.set(userId, (mine = new Set()));
      for (const channel of await this.deps.channels.list(userId)) this.subscribe(channel.id, userId);
    }
    mine.add(connection);
    await this.presence(userId, 1);
    const [friends, channels, unread] = await Promise.all([this.deps.friends.list(userId), this.deps.channels.list(userId), this.deps.conversations.unread(userId)]);
    connection.send({ type: 'friends', friends: friends.map(({ userId: id, status }) => ({ user_id: id, status, ...(status === 'friend' && { online: this.isOnline(id) }) })) });
    connection.send({ type: 'channels', channels: channels.map(channelView) });
    connection.send({ type: 'unread', ...unread });
  }

  async disconnect(connection: ChatConnection): Promise<void> {
    if (this.closed) return;
    const { userId } = connection;
    const mine = this.connections.get(userId);
    if (!mine?.delete(connection)) return;
    if (mine.size === 0) {
      this.connections.delete(userId);
      for (const [channelId, users] of this.subscribers) if (users.delete(userId) && users.size === 0) this.subscribers.delete(channelId);
    }
    await this.presence(userId, -1);
  }

  isOnline(userId: string): boolean {
    return this.board.isOnline(userId);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.heartbeatTimer);
    try {
      await this.deps.events.publish({ type: 'gone', instanceId: this.deps.settings.instanceId }); // others drop this instance's users now, not after the expiry
    } catch (error) {
      this.deps.logger.debug({ err: error }, 'chat goodbye not published');
    }
    await this.subscription?.close();
  }

  private async presence(userId: string, delta: 1 | -1): Promise<void> {
    const { edge, changes } = this.board.connection(userId, delta);
    if (edge) await this.deps.events.publish({ type: 'presence', instanceId: this.deps.settings.instanceId, userId, online: delta === 1 });
    await this.pushPresence(changes);
  }

  private async consume(batch: MessageBatch): Promise<void> {
    for (const incoming of batch.messages) await this.handle(JSON.parse(incoming.value.toString('utf8')) as ChatEvent);
    await batch.commit();
  }

  private async handle(event: ChatEvent): Promise<void> {
    const self = this.deps.settings.instanceId;
    const now = this.deps.clock();
    switch (event.type) {
      case 'message':
        return this.deliverMessage(event.message);
      case 'friend':
        for (const [user, other] of [event.users, [event.users[1], event.users[0]]] as const) {
          const status = friendStatus(event.link, user);
          this.toUser(user, { type: 'friend', user_id: other, status, ...(status === 'friend' && { online: this.isOnline(other) }) });
        }
        return;
      case 'channel': {
        const { channel, member } = event;
        const view = channelView(channel);
        if (member?.joined) {
          if (this.connections.has(member.userId)) this.subscribe(channel.id, member.userId);
        } else if (member) this.subscribers.get(channel.id)?.delete(member.userId);
        if (member) this.toUser(member.userId, { type: 'channel', channel: view, member: member.joined });
        for (const user of this.subscribers.get(channel.id) ?? []) {
          if (member && user !== member.userId) {
            this.toUser(user, { type: 'member', channel: channel.id, user_id: member.userId, joined: member.joined, ...(member.joined && { online: this.isOnline(member.userId) }) });
          }
          if (!member?.joined) this.toUser(user, { type: 'channel', channel: view, member: true }); // renamed, or maybe a new owner
        }
        return;
      }
      case 'read': {
        const target = targetOf(event.conversation, event.userId);
        this.toUser(event.userId, { type: 'unread', channels: 'channel' in target ? { [target.channel]: event.unread } : {}, direct: 'withUser' in target ? { [target.withUser]: event.unread } : {} });
        return;
      }
      case 'presence':
        if (event.instanceId !== self) await this.pushPresence(this.board.remoteChange(event.instanceId, event.userId, event.online, now));
        return;
      case 'heartbeat':
        if (event.instanceId !== self) await this.pushPresence(this.board.heartbeat(event.instanceId, event.users, now));
        return;
      case 'sync':
        if (event.instanceId !== self) await this.publishHeartbeat();
        return;
      case 'gone':
        if (event.instanceId !== self) await this.pushPresence(this.board.gone(event.instanceId));
        return;
    }
  }

  private deliverMessage(message: ChatMessage): void {
    if (this.recent.has(message.id)) return;
    this.recent.add(message.id);
    if (this.recent.size > 10_000) this.recent.delete(this.recent.values().next().value!);
    const frame = { type: 'message', ...messageView(message) };
    const audience = directUsers(message.conversation) ?? this.subscribers.get(message.conversation.slice('channel:'.length)) ?? [];
    for (const user of new Set(audience)) this.toUser(user, frame);
  }

  /** Tells the local friends and channel mates of each user whose state changed. */
  private async pushPresence(changes: readonly PresenceChange[]): Promise<void> {
    for (const { userId, online } of changes) {
      if (this.connections.size === 0) return;
      const [friends, mates] = await Promise.all([this.deps.friends.friendsOf(userId), this.deps.channelStore.coMembers(userId)]);
      for (const user of new Set([...friends, ...mates])) this.toUser(user, { type: 'presence', user_id: userId, online });
    }
  }

  private async heartbeat(): Promise<void> {
    try {
      await this.publishHeartbeat();
      await this.pushPresence(this.board.expire(this.deps.clock()));
    } catch (error) {
      this.deps.logger.error({ err: error }, 'chat heartbeat failed');
    }
  }

  private publishHeartbeat(): Promise<void> {
    return this.deps.events.publish({ type: 'heartbeat', instanceId: this.deps.settings.instanceId, users: this.board.localUsers() });
  }

  private subscribe(channelId: string, userId: string): void {
    let users = this.subscribers.get(channelId);
    if (!users) this.subscribers.set(channelId, (users = new Set()));
    users.add(userId);
  }

  private toUser(userId: string, frame: Record<string, unknown>): void {
    for (const connection of this.connections.get(userId) ?? []) connection.send(frame);
  }
}
