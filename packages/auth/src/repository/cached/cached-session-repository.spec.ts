import type { RefreshToken, Session, SessionRepository } from '@sd/domain/auth/session';
import { openSqlDatabase, type SqlDatabase } from '@sd/orm/sql-database';
import { authSqlSchema } from '../typeorm/auth-sql-schema';
import { TypeormSessionRepository, TypeormUserRepository } from '../typeorm/auth.typeorm-repo';
import { CachedSessionRepository } from './cached-session-repository';

describe('CachedSessionRepository', () => {
  let db: SqlDatabase;
  let store: SessionRepository;
  let reads: number;

  beforeEach(async () => {
    db = await openSqlDatabase({ kind: 'embedded' }, authSqlSchema);
    await new TypeormUserRepository(db.dataSource).create({ id: 'u1', email: 'u1@example.com', passwordHash: 'x', createdAt: 1, name: null, profilePhotoUrl: null });
    const typeorm = new TypeormSessionRepository(db.dataSource);
    reads = 0;
    store = Object.assign(Object.create(typeorm) as SessionRepository, {
      findById: (id: string) => ((reads += 1), typeorm.findById(id)),
    });
  });
  afterEach(() => db.close());

  const session: Session = { id: 's1', userId: 'u1', createdAt: 1, expiresAt: 10_000, revokedAt: null, revokedReason: null };
  const token = (hash: string, at: number): RefreshToken => ({ tokenHash: hash, sessionId: 's1', issuedAt: at, usedAt: null });

  it('answers repeated reads from memory', async () => {
    const cached = new CachedSessionRepository(store);
    await cached.create(session, token('t1', 1));
    await cached.findById('s1');
    await cached.findById('s1');
    expect(reads).toBe(1);
  });

  it('sees a revocation at once', async () => {
    const cached = new CachedSessionRepository(store);
    await cached.create(session, token('t1', 1));
    expect((await cached.findById('s1'))?.revokedAt).toBeNull();
    expect(await cached.revoke('s1', 'logout', 5)).toBe(true);
    expect(await cached.findById('s1')).toMatchObject({ revokedAt: 5, revokedReason: 'logout' });
  });

  it('sees the expiry a refresh moved', async () => {
    const cached = new CachedSessionRepository(store);
    await cached.create(session, token('t1', 1));
    await cached.findById('s1');
    expect(await cached.rotateRefreshToken('t1', token('t2', 2), 20_000)).toBe(true);
    expect((await cached.findById('s1'))?.expiresAt).toBe(20_000);
  });
});
