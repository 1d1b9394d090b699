import type { ChatChannel } from '@sd/domain/chat/channel';
import type { FriendLink } from '@sd/domain/chat/friendship';
import type { ChatMessage } from '@sd/domain/chat/message';
import type { MessageQueue } from '@sd/domain/mq';

/**
 * What the instances tell each other on the chat topic. Every instance consumes every event (a
 * consumer group of its own) and pushes it to its own connections; the topic has one
 * partition, so every instance sees the events in one order.
 */
export type ChatEvent =
  | { type: 'message'; message: ChatMessage }
  /** The link between `users` is now `link` (null: none). */
  | { type: 'friend'; users: [string, string]; link: FriendLink | null }
  /** The channel as it is now; with `member`, that user joined or left it. */
  | { type: 'channel'; channel: ChatChannel; member?: { userId: string; joined: boolean } }
  /** `userId` read `conversation`; `unread` is left. */
  | { type: 'read'; userId: string; conversation: string; unread: number }
  /** `userId` got its first connection on the instance, or closed its last there. */
  | { type: 'presence'; instanceId: string; userId: string; online: boolean }
  /** Every user connected to the instance, now: sent periodically and on `sync`. */
  | { type: 'heartbeat'; instanceId: string; users: string[] }
  /** A new instance asks the others for a heartbeat now. */
  | { type: 'sync'; instanceId: string }
  /** The instance is leaving: its users are offline there. */
  | { type: 'gone'; instanceId: string };

/** Publishes chat events to the topic every instance reads. */
export class ChatEvents {
  constructor(
    private readonly mq: MessageQueue,
    readonly topic: string,
  ) {}

  publish(event: ChatEvent): Promise<void> {
    return this.mq.publish(this.topic, [{ value: Buffer.from(JSON.stringify(event)) }]);
  }
}
