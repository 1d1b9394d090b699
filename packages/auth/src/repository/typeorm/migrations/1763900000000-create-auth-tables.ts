import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hand-written PostgreSQL schema of the auth entities (the embedded database is synchronized
 * from the entities instead). Foreign keys cascade, so deleting a user removes the rest.
 */
export class CreateAuthTables1763900000000 implements MigrationInterface {
  name = 'CreateAuthTables1763900000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE "auth_users" (
        "id" varchar(36) PRIMARY KEY,
        "email" varchar(254) NOT NULL,
        "password_hash" varchar(200) NOT NULL,
        "created_at" bigint NOT NULL
      )`);
    await runner.query('CREATE UNIQUE INDEX "auth_users_email_key" ON "auth_users" ("email")');
    await runner.query(`
      CREATE TABLE "auth_sessions" (
        "id" varchar(36) PRIMARY KEY,
        "user_id" varchar(36) NOT NULL REFERENCES "auth_users" ("id") ON DELETE CASCADE,
        "created_at" bigint NOT NULL,
        "expires_at" bigint NOT NULL,
        "revoked_at" bigint NULL,
        "revoked_reason" varchar(32) NULL
      )`);
    await runner.query('CREATE INDEX "auth_sessions_user_id_idx" ON "auth_sessions" ("user_id")');
    await runner.query(`
      CREATE TABLE "auth_refresh_tokens" (
        "token_hash" varchar(64) PRIMARY KEY,
        "session_id" varchar(36) NOT NULL REFERENCES "auth_sessions" ("id") ON DELETE CASCADE,
        "issued_at" bigint NOT NULL,
        "used_at" bigint NULL
      )`);
    await runner.query('CREATE INDEX "auth_refresh_tokens_session_id_idx" ON "auth_refresh_tokens" ("session_id")');
    await runner.query(`
      CREATE TABLE "auth_api_keys" (
        "id" varchar(36) PRIMARY KEY,
        "user_id" varchar(36) NOT NULL REFERENCES "auth_users" ("id") ON DELETE CASCADE,
        "key" varchar(64) NOT NULL,
        "secret_ciphertext" varchar(400) NOT NULL,
        "passphrase_hash" varchar(64) NOT NULL,
        "permissions" varchar(64) NOT NULL,
        "label" varchar(64) NOT NULL,
        "created_at" bigint NOT NULL
      )`);
    await runner.query('CREATE UNIQUE INDEX "auth_api_keys_key_key" ON "auth_api_keys" ("key")');
    await runner.query('CREATE INDEX "auth_api_keys_user_id_idx" ON "auth_api_keys" ("user_id")');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE "auth_api_keys"');
    await runner.query('DROP TABLE "auth_refresh_tokens"');
    await runner.query('DROP TABLE "auth_sessions"');
    await runner.query('DROP TABLE "auth_users"');
  }
}
