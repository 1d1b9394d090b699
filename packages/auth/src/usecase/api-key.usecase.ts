import { randomBytes, randomUUID } from 'node:crypto';
import type { ApiKeyRepository, Permission } from '@sd/domain/auth/api-key';
import { authErrors } from '@sd/domain/auth/errors';
import type { Principal } from '@sd/domain/auth/principal';
import type { Logger } from '@sd/domain/logger';
import type { AuthSettings, Clock } from './auth-settings';
import type { SecretBox } from './secret-box';
import { sha256Hex } from './tokens';
import { parseApiKeyRequest } from './validation';

export interface ApiKeyView {
  id: string;
  key: string;
  permissions: readonly Permission[];
  label: string;
  createdAt: number;
}

/** Shown once, at creation: the secret and passphrase cannot be read back. */
export interface CreatedApiKey extends ApiKeyView {
  /** Base64 of 64 random bytes; the HMAC key is its decoded bytes. */
  secret: string;
  passphrase: string;
}

/** API keys for bots. Managing keys needs a logged-in session: a key cannot mint keys. */
export class ApiKeyUseCase {
  constructor(
    private readonly apiKeys: ApiKeyRepository,
    private readonly box: SecretBox,
    private readonly settings: Pick<AuthSettings, 'maxApiKeysPerUser'>,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async create(principal: Principal, body: unknown): Promise<CreatedApiKey> {
    const owner = sessionOwner(principal);
    const { permissions, label } = parseApiKeyRequest(body);
    if ((await this.apiKeys.countByUser(owner)) >= this.settings.maxApiKeysPerUser) {
      throw authErrors.apiKeyLimit(this.settings.maxApiKeysPerUser);
    }
    const id = randomUUID();
    const key = randomBytes(16).toString('hex');
    const secret = randomBytes(64).toString('base64');
    const passphrase = randomBytes(18).toString('base64url');
    const createdAt = this.clock();
    await this.apiKeys.create({
      id,
      userId: owner,
      key,
      secretCiphertext: this.box.seal(secret, id),
      passphraseHash: sha256Hex(passphrase),
      permissions,
      label,
      createdAt,
    });
    this.logger.info({ userId: owner, apiKeyId: id, permissions }, 'API key created');
    return { id, key, secret, passphrase, permissions, label, createdAt };
  }

  async list(principal: Principal): Promise<ApiKeyView[]> {
    const keys = await this.apiKeys.listByUser(sessionOwner(principal));
    return keys.map(({ id, key, permissions, label, createdAt }) => ({ id, key, permissions, label, createdAt }));
  }

  /** Another user's key is "not found", like a key that never existed. */
  async delete(principal: Principal, id: string): Promise<void> {
    const owner = sessionOwner(principal);
    if (!(await this.apiKeys.deleteForUser(owner, id))) throw authErrors.apiKeyNotFound();
    this.logger.info({ userId: owner, apiKeyId: id }, 'API key deleted');
  }
}

function sessionOwner(principal: Principal): string {
  if (principal.method !== 'session') throw authErrors.sessionRequired();
  return principal.userId;
}
