import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { positiveInteger } from '@sd/app/env';
import { exchangeConfigFromEnv, type ExchangeConfig } from '@sd/app-exchange/config';

export interface GitbitexConfig extends ExchangeConfig {
  /** A gitbitex-web build (`index.html` and `assets/`) served at `/`; null serves the API and WebSocket alone. */
  webDir: string | null;
  /**
   * Where the Coinbase-style API is served beside gitbitex-web's (COINBASE_API_PATH): its REST
   * API at `<path>/api` and its WebSocket at `<path>/ws`; null serves gitbitex-web's alone.
   */
  coinbaseApiPath: string | null;
}

/** A week, as long as the old backend's cookie: the page never refreshes a token, so a shorter one signs people out silently. */
const WEEK_SECONDS = 7 * 24 * 3600;

/**
 * The exchange's own config (`exchangeConfigFromEnv`, every variable of it) with gitbitex-web's
 * defaults: port 9090 as the old backend, its own data directory (so it never shares a journal
 * with a running exchange app by accident), week-long access tokens, and the page's build
 * from GITBITEX_WEB_DIR.
 */
export function gitbitexConfigFromEnv(env: NodeJS.ProcessEnv): GitbitexConfig {
  const exchange = exchangeConfigFromEnv(env, { port: 9090, dataDir: 'var/exchange-gitbitex' });
  const accessTokenTtlSeconds = positiveInteger('ACCESS_TOKEN_TTL_SECONDS', env.ACCESS_TOKEN_TTL_SECONDS ?? String(WEEK_SECONDS));
  return { ...exchange, auth: { ...exchange.auth, accessTokenTtlSeconds }, webDir: webDir(env.GITBITEX_WEB_DIR), coinbaseApiPath: coinbaseApiPath(env.COINBASE_API_PATH) };
}

/** Paths gitbitex-web owns: the Coinbase API cannot live under them. */
const PAGE_PATHS = ['/api', '/ws', '/assets', '/trade', '/account', '/proxy'];

function coinbaseApiPath(value: string | undefined): string | null {
  if (value === undefined || value === '') return null;
  const path = value.replace(/\/$/, '');
  if (!/^(\/[\w-]+)+$/.test(path) || PAGE_PATHS.some((taken) => path === taken || path.startsWith(`${taken}/`))) {
    throw new Error(`COINBASE_API_PATH must be a path such as /coinbase, outside ${PAGE_PATHS.join(', ')}; not ${value}`);
  }
  return path;
}

function webDir(value: string | undefined): string | null {
  if (value === undefined || value === '') return null;
  const dir = resolve(value);
  if (!existsSync(join(dir, 'index.html'))) throw new Error(`GITBITEX_WEB_DIR ${dir} must hold a gitbitex-web build: index.html and assets/`);
  return dir;
}
