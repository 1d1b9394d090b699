import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Hand-written PostgreSQL schema of the messages (the embedded database is synchronized from the entity). */
export class CreateChatMessages1764100000000 implements MigrationInterface {
  name = 'CreateChatMessages1764100000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE "chat_messages" (
        "id" varchar(32) PRIMARY KEY,
        "conversation" varchar(160) NOT NULL,
        "sender_id" varchar(64) NOT NULL,
        "text" text NOT NULL,
        "sent_at" bigint NOT NULL
      )`);
    await runner.query('CREATE INDEX "chat_messages_conversation_idx" ON "chat_messages" ("conversation", "id")');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE "chat_messages"');
  }
}
