import { LessThan, type DataSource, type Repository } from 'typeorm';
import type { ChatMessage, MessageStore } from '@sd/domain/chat/message';
import { MessageEntity } from './message.entity';

export class TypeormMessageStore implements MessageStore {
  private readonly messages: Repository<MessageEntity>;

  constructor(dataSource: DataSource) {
    this.messages = dataSource.getRepository(MessageEntity);
  }

  async append(message: ChatMessage): Promise<void> {
    await this.messages.createQueryBuilder().insert().values({ ...message }).orIgnore().execute();
  }

  async history(conversation: string, options: { before?: string; limit: number }): Promise<ChatMessage[]> {
    const rows = await this.messages.find({
      where: { conversation, ...(options.before !== undefined && { id: LessThan(options.before) }) },
      order: { id: 'DESC' },
      take: options.limit,
    });
    return rows.map((row) => ({ ...row }));
  }
}
