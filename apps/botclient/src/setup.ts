import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { type ExchangeClient, retryRateLimited } from './client';
import type { ApiKey } from './signing';

export interface BotUser {
  email: string;
  password: string;
  access_token: string;
  refresh_token: string;
  api_key?: ApiKey;
  /** What the faucet deposited, per currency, as decimal strings. */
  funded: Record<string, string>;
}

export interface UsersFile {
  origin: string;
  users: BotUser[];
}

export interface SetupOptions {
  count: number;
  /** Emails are `${prefix}-${i}@bots.example`. */
  prefix: string;
  password: string;
  apiKeys: boolean;
  fund: Record<string, string>;
  /** Users set up at once: each sign-up and log-in costs the server a memory-hard hash. */
  concurrency: number;
}

/** A random email prefix and a password that meets the sign-up policy. */
export function freshIdentity(): { prefix: string; password: string } {
  return { prefix: `bot-${randomBytes(4).toString('hex')}`, password: `Bot-${randomBytes(9).toString('base64url')}` };
}

/**
 * Signs up, logs in, optionally creates a trade API key for, and funds `count` users.
 * Rate-limited calls (429) are retried after their Retry-After; any other failure stops setup.
 */
export async function setUpUsers(client: ExchangeClient, options: SetupOptions, onUser?: (user: BotUser, index: number) => void): Promise<BotUser[]> {
  const users: BotUser[] = new Array(options.count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < options.count) {
      const index = next++;
      const email = `${options.prefix}-${index}@bots.example`;
      await retryRateLimited(() => client.signUp(email, options.password));
      const tokens = await retryRateLimited(() => client.logIn(email, options.password));
      const user: BotUser = { email, password: options.password, access_token: tokens.access_token, refresh_token: tokens.refresh_token, funded: {} };
      if (options.apiKeys) {
        const created = await retryRateLimited(() => client.createApiKey(tokens.access_token, ['view', 'trade'], 'botclient'));
        user.api_key = { key: created.key, secret: created.secret, passphrase: created.passphrase };
      }
      for (const [currency, amount] of Object.entries(options.fund)) {
        await retryRateLimited(() => client.faucet({ token: tokens.access_token }, currency, amount));
        user.funded[currency] = amount;
      }
      users[index] = user;
      onUser?.(user, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, options.count) }, worker));
  return users;
}

/** The users file holds passwords, tokens and API secrets: readable by its owner only. */
export async function writeUsersFile(path: string, file: UsersFile): Promise<void> {
  await writeFile(path, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
}

export async function readUsersFile(path: string): Promise<UsersFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the users file ${path} (run setup first): ${(error as Error).message}`);
  }
  const file = JSON.parse(text) as UsersFile;
  if (!Array.isArray(file.users) || file.users.length === 0) throw new Error(`${path} lists no users`);
  return file;
}
