import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AuthKeys } from '@sd/auth/usecase/auth-settings';
import type { Logger } from '@sd/domain/logger';
import type { AuthKeysConfig } from './config';

/**
 * The configured keys, or for the embedded default the development keys in `file`: generated
 * on first start (mode 0600) and reused after, so tokens and API keys survive a restart.
 */
export async function resolveAuthKeys(config: AuthKeysConfig, logger: Logger): Promise<AuthKeys> {
  if (config.kind === 'configured') return config;
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
