import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A display name and an avatar URL on each user, both optional (the embedded database is synchronized from the entity). */
export class UserProfile1767000000000 implements MigrationInterface {
  name = 'UserProfile1767000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE "auth_users" ADD COLUMN "name" varchar(64) NULL');
    await runner.query('ALTER TABLE "auth_users" ADD COLUMN "profile_photo_url" varchar(1024) NULL');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE "auth_users" DROP COLUMN "profile_photo_url"');
    await runner.query('ALTER TABLE "auth_users" DROP COLUMN "name"');
  }
}
