import { Column, Entity, Index, PrimaryColumn, type ValueTransformer } from 'typeorm';

const bigintNumber: ValueTransformer = { to: (value: number) => value, from: (value: string | number) => Number(value) };

/** History pages walk (conversation, id) backwards: the index serves them without a sort. */
@Entity({ name: 'chat_messages' })
@Index('chat_messages_conversation_idx', ['conversation', 'id'])
export class MessageEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  id!: string;

  @Column({ type: 'varchar', length: 160 })
  conversation!: string;

  @Column({ name: 'sender_id', type: 'varchar', length: 64 })
  senderId!: string;

  @Column({ type: 'text' })
  text!: string;

  @Column({ name: 'sent_at', type: 'bigint', transformer: bigintNumber })
  sentAt!: number;
}
