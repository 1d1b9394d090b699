/** What an API key may do: `view` reads, `trade` places and cancels orders. */
export type Permission = 'view' | 'trade';

export const PERMISSIONS: readonly Permission[] = ['view', 'trade'];

/**
 * A bot's credentials, Coinbase-Exchange style. The secret is kept encrypted (it is needed to
 * check signatures); the passphrase only as a hash. Neither is ever returned after creation.
 */
export interface ApiKey {
  id: string;
  userId: string;
  /** The public identifier sent as CB-ACCESS-KEY. */
  key: string;
  /** AES-256-GCM ciphertext of the base64 secret, bound to `id`. */
  secretCiphertext: string;
  passphraseHash: string;
  permissions: readonly Permission[];
  label: string;
  createdAt: number;
}

export interface ApiKeyRepository {
  create(apiKey: ApiKey): Promise<void>;
  findByKey(key: string): Promise<ApiKey | null>;
  findById(id: string): Promise<ApiKey | null>;
  /** Oldest first. */
  listByUser(userId: string): Promise<ApiKey[]>;
  countByUser(userId: string): Promise<number>;
  /** Deletes the key only if `userId` owns it; false otherwise. */
  deleteForUser(userId: string, id: string): Promise<boolean>;
}

export const ApiKeyRepository = Symbol.for('sd.auth.ApiKeyRepository');
