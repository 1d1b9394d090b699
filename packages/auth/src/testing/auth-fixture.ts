import { randomBytes } from 'node:crypto';
import { silentLogger } from '@sd/logging/logger';
import { openSqlDatabase, type SqlDatabase } from '@sd/orm/sql-database';
import { authSqlSchema } from '../repository/typeorm/auth-sql-schema';
import { TypeormApiKeyRepository, TypeormSessionRepository, TypeormUserRepository } from '../repository/typeorm/auth.typeorm-repo';
import { AccessTokenCodec } from '../usecase/access-token';
import { AccountUseCase } from '../usecase/account.usecase';
import { ApiKeyUseCase } from '../usecase/api-key.usecase';
import { authSettings, type AuthSettings } from '../usecase/auth-settings';
import { CredentialAuthenticator } from '../usecase/authenticator.usecase';
import { PasswordHasher } from '../usecase/password-hasher';
import { SecretBox } from '../usecase/secret-box';
import { TEST_SCRYPT } from './test-auth-config';

/** A controllable clock for tests, in epoch ms. */
export class TestClock {
  constructor(public nowMs = Date.now()) {}
  readonly now = (): number => this.nowMs;
  advance(ms: number): void {
    this.nowMs += ms;
  }
}

export interface AuthFixture {
  settings: AuthSettings;
  clock: TestClock;
  db: SqlDatabase;
  accounts: AccountUseCase;
  apiKeys: ApiKeyUseCase;
  authenticator: CredentialAuthenticator;
  close(): Promise<void>;
}

/**
 * The auth use cases wired by hand (no container) on an embedded database; scrypt runs at a low cost so suites stay fast.
 */
export async function createAuthFixture(overrides: Partial<Omit<AuthSettings, 'tokenSigningKey' | 'apiKeyEncryptionKey'>> = {}): Promise<AuthFixture> {
  const settings = authSettings(
    { tokenSigningKey: randomBytes(32), apiKeyEncryptionKey: randomBytes(32) },
    { scrypt: TEST_SCRYPT, ...overrides },
  );
  const clock = new TestClock();
  const db = await openSqlDatabase({ kind: 'embedded' }, authSqlSchema);
  const users = new TypeormUserRepository(db.dataSource);
  const sessions = new TypeormSessionRepository(db.dataSource);
  const keys = new TypeormApiKeyRepository(db.dataSource);
  const tokens = new AccessTokenCodec(settings.tokenSigningKey);
  const box = new SecretBox(settings.apiKeyEncryptionKey);
  return {
    settings,
    clock,
    db,
    accounts: new AccountUseCase(users, sessions, new PasswordHasher(settings.scrypt), tokens, settings, clock.now, silentLogger),
    apiKeys: new ApiKeyUseCase(keys, box, settings, clock.now, silentLogger),
    authenticator: new CredentialAuthenticator(sessions, keys, tokens, box, settings, clock.now),
    close: () => db.close(),
  };
}
