import { Column, Entity, Index, PrimaryColumn, type ValueTransformer } from 'typeorm';

/** Epoch milliseconds in a BIGINT: PostgreSQL hands BIGINT back as a string. */
const epochMs: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};

/** Table names are prefixed so several domains can share one database. */
@Entity({ name: 'auth_users' })
export class UserEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index('auth_users_email_key', { unique: true })
  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 200 })
  passwordHash!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: number;

  @Column({ type: 'varchar', length: 64, nullable: true })
  name!: string | null;

  @Column({ name: 'profile_photo_url', type: 'varchar', length: 1024, nullable: true })
  profilePhotoUrl!: string | null;
}

@Entity({ name: 'auth_sessions' })
export class SessionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index('auth_sessions_user_id_idx')
  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: number;

  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMs })
  expiresAt!: number;

  @Column({ name: 'revoked_at', type: 'bigint', nullable: true, transformer: epochMs })
  revokedAt!: number | null;

  @Column({ name: 'revoked_reason', type: 'varchar', length: 32, nullable: true })
  revokedReason!: 'logout' | 'refresh_reuse' | null;
}

@Entity({ name: 'auth_refresh_tokens' })
export class RefreshTokenEntity {
  @PrimaryColumn({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash!: string;

  @Index('auth_refresh_tokens_session_id_idx')
  @Column({ name: 'session_id', type: 'varchar', length: 36 })
  sessionId!: string;

  @Column({ name: 'issued_at', type: 'bigint', transformer: epochMs })
  issuedAt!: number;

  @Column({ name: 'used_at', type: 'bigint', nullable: true, transformer: epochMs })
  usedAt!: number | null;
}

@Entity({ name: 'auth_api_keys' })
export class ApiKeyEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index('auth_api_keys_user_id_idx')
  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId!: string;

  @Index('auth_api_keys_key_key', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  key!: string;

  @Column({ name: 'secret_ciphertext', type: 'varchar', length: 400 })
  secretCiphertext!: string;

  @Column({ name: 'passphrase_hash', type: 'varchar', length: 64 })
  passphraseHash!: string;

  /** Comma-separated, e.g. `view,trade`. */
  @Column({ type: 'varchar', length: 64 })
  permissions!: string;

  @Column({ type: 'varchar', length: 64 })
  label!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: number;
}
