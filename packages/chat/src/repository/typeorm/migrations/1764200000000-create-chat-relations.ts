import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Hand-written PostgreSQL schema of chat users, friendships, channels and read markers (the embedded database is synchronized from the entities). */
export class CreateChatRelations1764200000000 implements MigrationInterface {
  name = 'CreateChatRelations1764200000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE "chat_users" (
        "user_id" varchar(64) PRIMARY KEY,
        "joined_at" bigint NOT NULL
      )`);
    await runner.query(`
      CREATE TABLE "chat_friendships" (
        "user_low" varchar(64) NOT NULL,
        "user_high" varchar(64) NOT NULL,
        "requester" varchar(64) NOT NULL,
        "status" varchar(16) NOT NULL,
        "requested_at" bigint NOT NULL,
        "accepted_at" bigint,
        PRIMARY KEY ("user_low", "user_high")
      )`);
    await runner.query('CREATE INDEX "chat_friendships_high_idx" ON "chat_friendships" ("user_high")');
    await runner.query(`
      CREATE TABLE "chat_channels" (
        "id" varchar(36) PRIMARY KEY,
        "name" varchar(64) NOT NULL,
        "owner_id" varchar(64) NOT NULL,
        "created_at" bigint NOT NULL
      )`);
    await runner.query(`
      CREATE TABLE "chat_channel_members" (
        "channel_id" varchar(36) NOT NULL,
        "user_id" varchar(64) NOT NULL,
        "joined_at" bigint NOT NULL,
        PRIMARY KEY ("channel_id", "user_id")
      )`);
    await runner.query('CREATE INDEX "chat_channel_members_user_idx" ON "chat_channel_members" ("user_id")');
    await runner.query(`
      CREATE TABLE "chat_read_markers" (
        "user_id" varchar(64) NOT NULL,
        "conversation" varchar(160) NOT NULL,
        "last_read" varchar(32) NOT NULL,
        PRIMARY KEY ("user_id", "conversation")
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['chat_read_markers', 'chat_channel_members', 'chat_channels', 'chat_friendships', 'chat_users']) await runner.query(`DROP TABLE "${table}"`);
  }
}
