/** A chat message in a channel (`channel:<name>`) or a direct conversation (`dm:<userId>:<userId>`, ids sorted). */
export interface ChatMessage {
  /** Sortable: 13-digit epoch ms, `-`, 12 hex digits. Also the history cursor. */
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
  /** Up to `limit` messages of `conversation`, newest first, older than the message id `before` when given. */
  history(conversation: string, options: { before?: string; limit: number }): Promise<ChatMessage[]>;
}

export const MessageStore = Symbol.for('sd.chat.MessageStore');
