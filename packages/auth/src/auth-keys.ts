import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AuthKeys } from './usecase/auth-settings';
import type { Logger } from '@sd/domain/logger';

/**
 * Signing and encryption keys: from the environment, generated once into a file, or random
 * for this process only (tokens end with it). The last two only where no other instance shares the stores.
 */
export type AuthKeysConfig =
  | { kind: 'configured'; tokenSigningKey: Buffer; apiKeyEncryptionKey: Buffer }
  | { kind: 'generated'; file: string }
  | { kind: 'ephemeral' };

/**
 * AUTH_TOKEN_SECRET / AUTH_ENCRYPTION_KEY (base64) from the environment. Required when several
 * instances share the stores (`shared`); otherwise development keys are generated into `file`,
 * or are random per process without one.
 */
export function authKeysFromEnv(env: NodeJS.ProcessEnv, options: { shared: boolean; because: string; file?: string }): AuthKeysConfig {
  const signing = env.AUTH_TOKEN_SECRET;
  const encryption = env.AUTH_ENCRYPTION_KEY;
  if (!signing && !encryption) {
    if (options.shared) throw new Error(`AUTH_TOKEN_SECRET and AUTH_ENCRYPTION_KEY are required with ${options.because} (every instance must share them)`);
    return options.file === undefined ? { kind: 'ephemeral' } : { kind: 'generated', file: options.file };
  }
  if (!signing || !encryption) throw new Error('set both AUTH_TOKEN_SECRET and AUTH_ENCRYPTION_KEY, or neither');
  const tokenSigningKey = base64Key('AUTH_TOKEN_SECRET', signing);
  const apiKeyEncryptionKey = base64Key('AUTH_ENCRYPTION_KEY', encryption);
  if (tokenSigningKey.length < 32) throw new Error('AUTH_TOKEN_SECRET must decode to at least 32 bytes');
  if (apiKeyEncryptionKey.length !== 32) throw new Error('AUTH_ENCRYPTION_KEY must decode to exactly 32 bytes');
  return { kind: 'configured', tokenSigningKey, apiKeyEncryptionKey };
}

function base64Key(name: string, value: string): Buffer {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) throw new Error(`${name} must be base64`);
  return Buffer.from(value, 'base64');
}

/**
 * The configured keys, or for the embedded default the development keys in `file`: generated
 * on first start (mode 0600) and reused after, so tokens and API keys survive a restart.
 */
export async function resolveAuthKeys(config: AuthKeysConfig, logger: Logger): Promise<AuthKeys> {
  if (config.kind === 'configured') return config;
  if (config.kind === 'ephemeral') {
    logger.warn({}, 'random auth keys for this process: tokens end with it; set AUTH_TOKEN_SECRET and AUTH_ENCRYPTION_KEY');
    return { tokenSigningKey: randomBytes(32), apiKeyEncryptionKey: randomBytes(32) };
  }
  const existing = await readKeys(config.file);
  if (existing) return existing;
  const generated = { token_signing_key: randomBytes(32).toString('base64'), api_key_encryption_key: randomBytes(32).toString('base64') };
  await mkdir(dirname(config.file), { recursive: true });
  try {
    await writeFile(config.file, `${JSON.stringify(generated, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    logger.warn({ file: config.file }, 'generated development auth keys; set AUTH_TOKEN_SECRET and AUTH_ENCRYPTION_KEY in production');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const keys = await readKeys(config.file);
  if (!keys) throw new Error(`could not read the auth keys in ${config.file}`);
  return keys;
}

async function readKeys(file: string): Promise<AuthKeys | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = JSON.parse(text) as { token_signing_key?: string; api_key_encryption_key?: string };
  if (!parsed.token_signing_key || !parsed.api_key_encryption_key) throw new Error(`${file} lacks token_signing_key or api_key_encryption_key`);
  return { tokenSigningKey: Buffer.from(parsed.token_signing_key, 'base64'), apiKeyEncryptionKey: Buffer.from(parsed.api_key_encryption_key, 'base64') };
}
