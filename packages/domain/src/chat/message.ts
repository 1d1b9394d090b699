/** A chat message in a channel (`channel:<id>`) or a direct conversation (`dm:<userId>:<userId>`, ids sorted). */
export interface ChatMessage {
  /** Sortable: 13-digit epoch ms, `-`, 12 hex digits; unique across conversations. Also the history cursor. */
  id: string;
  conversation: string;
  senderId: string;
  text: string;
  sentAt: number;
}

/** Where messages are kept. Adapters: SQL (typeorm) and MongoDB; both pass one contract suite. */
export interface MessageStore {
  /** Stores a message; appending an id twice keeps one copy. */
  append(message: ChatMessage): Promise<void>;
  /**
   * Up to `limit` messages of any of `conversations`, newest first, older than the message id
   * `before` when given: one conversation's history, or a user's across all of theirs.
   */
  history(conversations: readonly string[], options: { before?: string; limit: number }): Promise<ChatMessage[]>;
  /**
   * For each conversation, how many of its messages are newer than `after` (all, without one)
   * and not sent by `reader`. Conversations with none may be left out.
   */
  unreadCounts(reader: string, since: readonly ReadMarker[]): Promise<Map<string, number>>;
}

export const MessageStore = Symbol.for('sd.chat.MessageStore');

/** How far a user has read a conversation: up to and including the message `after`. */
export interface ReadMarker {
  conversation: string;
  after?: string;
}

/** Read markers per user and conversation, shared by every instance. */
export interface ReadMarkerStore {
  /** Moves the marker to `messageId` unless it is already there or further; answers where it is now. */
  markRead(userId: string, conversation: string, messageId: string): Promise<string>;
  /** The user's markers: conversation → the last message read. */
  markers(userId: string): Promise<Map<string, string>>;
}

export const ReadMarkerStore = Symbol.for('sd.chat.ReadMarkerStore');
