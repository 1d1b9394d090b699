import { IsNull, type DataSource, type Repository } from 'typeorm';
import type { ApiKey, ApiKeyRepository, Permission } from '@sd/domain/auth/api-key';
import type { RefreshToken, Session, SessionRepository, SessionRevocationReason } from '@sd/domain/auth/session';
import type { User, UserProfile, UserRepository } from '@sd/domain/auth/user';
import { ApiKeyEntity, RefreshTokenEntity, SessionEntity, UserEntity } from './auth.entities';
import { exclusive } from '@sd/orm/embedded-lock';
import { isUniqueViolation } from '@sd/orm/sql-errors';

export class TypeormUserRepository implements UserRepository {
  private readonly users: Repository<UserEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.users = dataSource.getRepository(UserEntity);
  }

  async create(user: User): Promise<boolean> {
    try {
      await exclusive(this.dataSource, () => this.users.insert(user));
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw new Error('create user failed', { cause: error });
    }
  }

  async findByEmail(email: string): Promise<User | null> {
    return toUser(await exclusive(this.dataSource, () => this.users.findOneBy({ email })));
  }

  async findById(id: string): Promise<User | null> {
    return toUser(await exclusive(this.dataSource, () => this.users.findOneBy({ id })));
  }

  async updateProfile(id: string, profile: Partial<UserProfile>): Promise<boolean> {
    const { name, profilePhotoUrl } = profile;
    const changes = { ...(name !== undefined && { name }), ...(profilePhotoUrl !== undefined && { profilePhotoUrl }) };
    if (Object.keys(changes).length === 0) return (await this.findById(id)) !== null;
    const result = await exclusive(this.dataSource, () => this.users.update({ id }, changes));
    return result.affected === 1;
  }

  async updatePasswordHash(id: string, passwordHash: string): Promise<boolean> {
    const result = await exclusive(this.dataSource, () => this.users.update({ id }, { passwordHash }));
    return result.affected === 1;
  }
}

export class TypeormSessionRepository implements SessionRepository {
  private readonly sessions: Repository<SessionEntity>;
  private readonly refreshTokens: Repository<RefreshTokenEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.sessions = dataSource.getRepository(SessionEntity);
    this.refreshTokens = dataSource.getRepository(RefreshTokenEntity);
  }

  async create(session: Session, refreshToken: RefreshToken): Promise<void> {
    await exclusive(this.dataSource, () =>
      this.dataSource.transaction(async (manager) => {
        await manager.insert(SessionEntity, session);
        await manager.insert(RefreshTokenEntity, refreshToken);
      }),
    );
  }

  async findById(id: string): Promise<Session | null> {
    const row = await exclusive(this.dataSource, () => this.sessions.findOneBy({ id }));
    return row && { ...row };
  }

  async findRefreshToken(tokenHash: string): Promise<RefreshToken | null> {
    const row = await exclusive(this.dataSource, () => this.refreshTokens.findOneBy({ tokenHash }));
    return row && { ...row };
  }

  async rotateRefreshToken(usedHash: string, next: RefreshToken, sessionExpiresAt: number): Promise<boolean> {
    return exclusive(this.dataSource, () =>
      this.dataSource.transaction(async (manager) => {
        // The conditional update is the compare-and-set: of two rotations racing, one matches.
        const used = await manager.update(RefreshTokenEntity, { tokenHash: usedHash, usedAt: IsNull() }, { usedAt: next.issuedAt });
        if (used.affected !== 1) return false;
        const extended = await manager.update(SessionEntity, { id: next.sessionId, revokedAt: IsNull() }, { expiresAt: sessionExpiresAt });
        if (extended.affected !== 1) throw new Error('rotate refresh token: session vanished or was revoked');
        await manager.insert(RefreshTokenEntity, next);
        return true;
      }),
    );
  }

  async revoke(id: string, reason: SessionRevocationReason, at: number): Promise<boolean> {
    const result = await exclusive(this.dataSource, () =>
      this.sessions.update({ id, revokedAt: IsNull() }, { revokedAt: at, revokedReason: reason }),
    );
    return result.affected === 1;
  }
}

export class TypeormApiKeyRepository implements ApiKeyRepository {
  private readonly keys: Repository<ApiKeyEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.keys = dataSource.getRepository(ApiKeyEntity);
  }

  async create(apiKey: ApiKey): Promise<void> {
    await exclusive(this.dataSource, () => this.keys.insert({ ...apiKey, permissions: apiKey.permissions.join(',') }));
  }

  async findByKey(key: string): Promise<ApiKey | null> {
    return toApiKey(await exclusive(this.dataSource, () => this.keys.findOneBy({ key })));
  }

  async findById(id: string): Promise<ApiKey | null> {
    return toApiKey(await exclusive(this.dataSource, () => this.keys.findOneBy({ id })));
  }

  async listByUser(userId: string): Promise<ApiKey[]> {
    const rows = await exclusive(this.dataSource, () => this.keys.find({ where: { userId }, order: { createdAt: 'ASC', id: 'ASC' } }));
    return rows.map((row) => toApiKey(row)!);
  }

  async countByUser(userId: string): Promise<number> {
    return exclusive(this.dataSource, () => this.keys.countBy({ userId }));
  }

  async deleteForUser(userId: string, id: string): Promise<boolean> {
    const result = await exclusive(this.dataSource, () => this.keys.delete({ id, userId }));
    return result.affected === 1;
  }
}

function toUser(row: UserEntity | null): User | null {
  return row && { id: row.id, email: row.email, passwordHash: row.passwordHash, createdAt: row.createdAt, name: row.name, profilePhotoUrl: row.profilePhotoUrl };
}

function toApiKey(row: ApiKeyEntity | null): ApiKey | null {
  return row && { ...row, permissions: row.permissions.split(',').filter(Boolean) as Permission[] };
}
