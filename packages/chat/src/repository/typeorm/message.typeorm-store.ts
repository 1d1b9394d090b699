import { In, LessThan, type DataSource, type Repository } from 'typeorm';
import type { ChatMessage, MessageStore, ReadMarker } from '@sd/domain/chat/message';
import { chunks, exclusive } from '@sd/orm/embedded-lock';
import { MessageEntity } from './message.entity';
import { placeholders } from './sql-dialect';

/** Conversations counted per statement: a user's few hundred fit in a couple of round trips. */
const UNREAD_CHUNK = 100;

export class TypeormMessageStore implements MessageStore {
  private readonly messages: Repository<MessageEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.messages = dataSource.getRepository(MessageEntity);
  }

  async append(message: ChatMessage): Promise<void> {
    await exclusive(this.dataSource, () => this.messages.createQueryBuilder().insert().values({ ...message }).orIgnore().execute());
  }

  async history(conversations: readonly string[], options: { before?: string; limit: number }): Promise<ChatMessage[]> {
    if (conversations.length === 0) return [];
    const rows = await exclusive(this.dataSource, () =>
      this.messages.find({
        where: { conversation: In([...conversations]), ...(options.before !== undefined && { id: LessThan(options.before) }) },
        order: { id: 'DESC' },
        take: options.limit,
      }),
    );
    return rows.map((row) => ({ ...row }));
  }

  async unreadCounts(reader: string, since: readonly ReadMarker[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    const p = placeholders(this.dataSource);
    for (const chunk of chunks(since, UNREAD_CHUNK)) {
      const params: unknown[] = [reader];
      const clauses = chunk.map(({ conversation, after }) => {
        params.push(conversation);
        if (after === undefined) return `"conversation" = ${p(params.length)}`;
        params.push(after);
        return `("conversation" = ${p(params.length - 1)} AND "id" > ${p(params.length)})`;
      });
      const rows: Array<{ conversation: string; unread: string | number }> = await exclusive(this.dataSource, () =>
        this.dataSource.query(
          `SELECT "conversation", COUNT(*) AS "unread" FROM "chat_messages" WHERE "sender_id" <> ${p(1)} AND (${clauses.join(' OR ')}) GROUP BY "conversation"`,
          params,
        ),
      );
      for (const row of rows) counts.set(row.conversation, Number(row.unread));
    }
    return counts;
  }
}
