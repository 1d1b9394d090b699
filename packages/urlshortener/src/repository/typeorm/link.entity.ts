import { Column, Entity, Index, PrimaryColumn, type ValueTransformer } from 'typeorm';

/** BIGINT comes back from PostgreSQL as a string. */
const bigintNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};

/** The alias is the primary key: the unique constraint that makes collisions impossible. */
@Entity({ name: 'url_links' })
@Index('url_links_owner_idx', ['ownerId', 'createdAt'])
export class LinkEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  alias!: string;

  @Column({ type: 'varchar', length: 2048 })
  target!: string;

  @Column({ name: 'owner_id', type: 'varchar', length: 36 })
  ownerId!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt!: number;

  @Column({ name: 'expires_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  expiresAt!: number | null;

  @Column({ type: 'bigint', default: 0, transformer: bigintNumber })
  hits!: number;
}
