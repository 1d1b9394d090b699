import type { Collection, Db } from 'mongodb';
import type { ChatMessage, MessageStore, ReadMarker } from '@sd/domain/chat/message';

interface MessageDocument {
  _id: string;
  conversation: string;
  senderId: string;
  text: string;
  sentAt: number;
}

/**
 * Messages in MongoDB (or FerretDB): one document each, keyed by the message id, so a
 * repeated append is refused by the unique _id, with no transaction (FerretDB 1.x has none).
 */
export class MongoMessageStore implements MessageStore {
  private constructor(private readonly messages: Collection<MessageDocument>) {}

  /** Opens the collection and makes sure the history index exists. */
  static async open(db: Db, collection = 'chat_messages'): Promise<MongoMessageStore> {
    const messages = db.collection<MessageDocument>(collection);
    await messages.createIndex({ conversation: 1, _id: -1 }, { name: 'conversation_id' });
    return new MongoMessageStore(messages);
  }

  async append(message: ChatMessage): Promise<void> {
    const { id, ...rest } = message;
    try {
      await this.messages.insertOne({ _id: id, ...rest });
    } catch (error) {
      // Concurrent upserts of one id race even in MongoDB; an insert that finds it taken is the no-op.
      if ((error as { code?: number }).code !== 11000) throw error;
    }
  }

  async history(conversations: readonly string[], options: { before?: string; limit: number }): Promise<ChatMessage[]> {
    if (conversations.length === 0) return [];
    const filter = { conversation: { $in: [...conversations] }, ...(options.before !== undefined && { _id: { $lt: options.before } }) };
    const documents = await this.messages.find(filter).sort({ _id: -1 }).limit(options.limit).toArray();
    return documents.map(({ _id, conversation, senderId, text, sentAt }) => ({ id: _id, conversation, senderId, text, sentAt }));
  }

  /** One count per conversation, each on the (conversation, _id) index; FerretDB 1.x counts, where its $group is limited. */
  async unreadCounts(reader: string, since: readonly ReadMarker[]): Promise<Map<string, number>> {
    const counted = await Promise.all(
      since.map(async ({ conversation, after }) => {
        const filter = { conversation, senderId: { $ne: reader }, ...(after !== undefined && { _id: { $gt: after } }) };
        return [conversation, await this.messages.countDocuments(filter)] as const;
      }),
    );
    return new Map(counted.filter(([, count]) => count > 0));
  }
}
