import { randomUUID } from 'node:crypto';
import type { ApiKey, ApiKeyRepository } from '@sd/domain/auth/api-key';
import type { Session, SessionRepository } from '@sd/domain/auth/session';
import type { UserRepository } from '@sd/domain/auth/user';

const NO_PROFILE = { name: null, profilePhotoUrl: null };

export interface AuthRepositories {
  users: UserRepository;
  sessions: SessionRepository;
  apiKeys: ApiKeyRepository;
}

/**
 * The behaviour every auth storage adapter must have. `open` gives repositories on one
 * database; calling it twice simulates two app instances sharing that database.
 */
export function describeAuthRepositoryContract(adapter: string, open: () => Promise<AuthRepositories>): void {
  describe(`auth repositories contract: ${adapter}`, () => {
    let repos: AuthRepositories;
    beforeEach(async () => (repos = await open()));

    const newUser = async (email = `${randomUUID()}@example.com`): Promise<string> => {
      const id = randomUUID();
      expect(await repos.users.create({ id, email, passwordHash: '$scrypt$hash', createdAt: 1_700_000_000_123, ...NO_PROFILE })).toBe(true);
      return id;
    };
    const newSession = (userId: string, overrides: Partial<Session> = {}): Session => ({
      id: randomUUID(),
      userId,
      createdAt: 1_000,
      expiresAt: 9_000_000_000_000,
      revokedAt: null,
      revokedReason: null,
      ...overrides,
    });

    it('stores users and finds them by id and email, refusing a taken email', async () => {
      const email = `${randomUUID()}@example.com`;
      const id = await newUser(email);
      expect(await repos.users.findByEmail(email)).toEqual({ id, email, passwordHash: '$scrypt$hash', createdAt: 1_700_000_000_123, name: null, profilePhotoUrl: null });
      expect(await repos.users.findById(id)).toMatchObject({ id, email });
      expect(await repos.users.create({ id: randomUUID(), email, passwordHash: 'x', createdAt: 1, ...NO_PROFILE })).toBe(false);
      expect(await repos.users.findByEmail(`nobody-${randomUUID()}@example.com`)).toBeNull();
      expect(await repos.users.findById(randomUUID())).toBeNull();
    });

    it('lets exactly one of two concurrent sign-ups with one email win', async () => {
      const email = `${randomUUID()}@example.com`;
      const other = await open();
      const results = await Promise.all([
        repos.users.create({ id: randomUUID(), email, passwordHash: 'a', createdAt: 1, ...NO_PROFILE }),
        other.users.create({ id: randomUUID(), email, passwordHash: 'b', createdAt: 1, ...NO_PROFILE }),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('updates a user\'s profile fields and password hash, each alone, and nothing for an unknown user', async () => {
      const id = await newUser();
      expect(await repos.users.updateProfile(id, { name: 'Alice' })).toBe(true);
      expect(await repos.users.updateProfile(id, { profilePhotoUrl: 'https://example.com/a.png' })).toBe(true);
      expect(await repos.users.findById(id)).toMatchObject({ name: 'Alice', profilePhotoUrl: 'https://example.com/a.png', passwordHash: '$scrypt$hash' });
      expect(await repos.users.updateProfile(id, { name: null })).toBe(true);
      expect(await repos.users.updatePasswordHash(id, '$scrypt$other')).toBe(true);
      expect(await repos.users.findById(id)).toMatchObject({ name: null, profilePhotoUrl: 'https://example.com/a.png', passwordHash: '$scrypt$other' });
      expect(await repos.users.updateProfile(randomUUID(), { name: 'Nobody' })).toBe(false);
      expect(await repos.users.updateProfile(randomUUID(), {})).toBe(false);
      expect(await repos.users.updatePasswordHash(randomUUID(), '$scrypt$x')).toBe(false);
    });

    it('stores sessions with their first refresh token and revokes them once', async () => {
      const session = newSession(await newUser());
      const tokenHash = randomUUID().replaceAll('-', '');
      await repos.sessions.create(session, { tokenHash, sessionId: session.id, issuedAt: 1_000, usedAt: null });
      expect(await repos.sessions.findById(session.id)).toEqual(session);
      expect(await repos.sessions.findRefreshToken(tokenHash)).toEqual({ tokenHash, sessionId: session.id, issuedAt: 1_000, usedAt: null });
      expect(await repos.sessions.revoke(session.id, 'logout', 2_000)).toBe(true);
      expect(await repos.sessions.revoke(session.id, 'refresh_reuse', 3_000)).toBe(false);
      expect(await repos.sessions.findById(session.id)).toMatchObject({ revokedAt: 2_000, revokedReason: 'logout' });
      expect(await repos.sessions.revoke(randomUUID(), 'logout', 1)).toBe(false);
    });

    it('rotates a refresh token once, even when two instances race', async () => {
      const session = newSession(await newUser());
      const first = `first-${randomUUID()}`;
      await repos.sessions.create(session, { tokenHash: first, sessionId: session.id, issuedAt: 1_000, usedAt: null });
      const other = await open();
      const candidates = [`a-${randomUUID()}`, `b-${randomUUID()}`];
      const results = await Promise.all(
        [repos, other].map((r, i) =>
          r.sessions.rotateRefreshToken(first, { tokenHash: candidates[i]!, sessionId: session.id, issuedAt: 5_000, usedAt: null }, 77_000),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = candidates[results.indexOf(true)]!;
      const loser = candidates[results.indexOf(false)]!;
      expect(await repos.sessions.findRefreshToken(first)).toMatchObject({ usedAt: 5_000 });
      expect(await repos.sessions.findRefreshToken(winner)).toMatchObject({ sessionId: session.id, usedAt: null });
      expect(await repos.sessions.findRefreshToken(loser)).toBeNull();
      expect(await repos.sessions.findById(session.id)).toMatchObject({ expiresAt: 77_000 });
    });

    it('keeps API keys per user: a user lists and deletes only their own', async () => {
      const [alice, bob] = [await newUser(), await newUser()];
      const key = (userId: string, label: string, createdAt: number): ApiKey => ({
        id: randomUUID(),
        userId,
        key: randomUUID().replaceAll('-', ''),
        secretCiphertext: 'v1.sealed',
        passphraseHash: 'ab'.repeat(32),
        permissions: ['view', 'trade'],
        label,
        createdAt,
      });
      const [a1, a2, b1] = [key(alice, 'one', 1), key(alice, 'two', 2), key(bob, 'bob', 3)];
      for (const k of [a2, a1, b1]) await repos.apiKeys.create(k);
      expect(await repos.apiKeys.listByUser(alice)).toEqual([a1, a2]);
      expect(await repos.apiKeys.countByUser(alice)).toBe(2);
      expect(await repos.apiKeys.findByKey(b1.key)).toEqual(b1);
      expect(await repos.apiKeys.findById(a1.id)).toEqual(a1);
      expect(await repos.apiKeys.deleteForUser(bob, a1.id)).toBe(false);
      expect(await repos.apiKeys.findById(a1.id)).toEqual(a1);
      expect(await repos.apiKeys.deleteForUser(alice, a1.id)).toBe(true);
      expect(await repos.apiKeys.findByKey(a1.key)).toBeNull();
      expect(await repos.apiKeys.listByUser(alice)).toEqual([a2]);
      expect(await repos.apiKeys.deleteForUser(alice, 'not-a-uuid')).toBe(false);
    });
  });
}
