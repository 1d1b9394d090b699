import { Column, CreateDateColumn, Entity, PrimaryColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { DecimalColumn } from '../decimal-column';

/** A one-table schema for the kit's own tests. */
@Entity({ name: 'kit_orm_note' })
export class NoteEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  text!: string;

  @DecimalColumn()
  amount!: string;

  @CreateDateColumn()
  createdAt!: Date;
}

export class CreateNote1700000000000 implements MigrationInterface {
  name = 'CreateNote1700000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE TABLE "kit_orm_note" ("id" varchar(64) PRIMARY KEY, "text" varchar(200) NOT NULL,
       "amount" numeric NOT NULL, "createdAt" TIMESTAMP NOT NULL DEFAULT now())`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE "kit_orm_note"');
  }
}

export const noteSchema = { entities: [NoteEntity], migrations: [CreateNote1700000000000], migrationsTableName: 'kit_orm_migrations' };
