import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Hand-written PostgreSQL schema of the links (the embedded database is synchronized from the entity). */
export class CreateUrlLinks1764000000000 implements MigrationInterface {
  name = 'CreateUrlLinks1764000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE "url_links" (
        "alias" varchar(64) PRIMARY KEY,
        "target" varchar(2048) NOT NULL,
        "owner_id" varchar(36) NOT NULL,
        "created_at" bigint NOT NULL,
        "expires_at" bigint NULL,
        "hits" bigint NOT NULL DEFAULT 0
      )`);
    await runner.query('CREATE INDEX "url_links_owner_idx" ON "url_links" ("owner_id", "created_at")');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE "url_links"');
  }
}
