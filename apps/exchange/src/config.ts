import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { httpUrl, integer, logLevel, oneOf, positiveInteger, required, serverConfigFromEnv, type LogLevel, type ServerConfig } from '@sd/app/env';
import { authKeysFromEnv, type AuthKeysConfig } from '@sd/auth/auth-keys';
import type { AuthSettings } from '@sd/auth/settings';
import type { CacheConfig } from '@sd/cache/cache.module';
import type { ExchangeProcessConfig } from '@sd/exchange/modules/process.module';
import type { SandboxConfig } from '@sd/exchange/modules/sandbox.module';
import type { TapeFormat } from '@sd/domain/exchange/tape';
import { topicsNamed, type ExchangeTopics } from '@sd/exchange/modules/settings';
import type { MarketDefinition } from '@sd/domain/exchange/product';
import type { RateLimitRule } from '@sd/domain/rate-limit';
import { DEFAULT_CURRENCIES, DEFAULT_PRODUCTS } from '@sd/exchange/usecase/core/catalog/default-products';
import type { MqConfig } from '@sd/mq/mq.module';
import type { SqlConfig } from '@sd/orm/sql-database';
import type { RateLimiterConfig } from '@sd/ratelimit/ratelimit.module';
import { DEFAULT_OTLP_ENDPOINT, type TracingConfig } from '@sd/tracing/tracing';

export type ExchangeMode = 'embedded' | 'distributed';
/** What a distributed process runs: the engine leader, the HTTP/WebSocket API, the history writer. */
export type ExchangeRole = 'engine' | 'api' | 'history';

export interface ExchangeConfig extends ServerConfig {
  mode: ExchangeMode;
  /** Embedded: all three. Distributed: ROLES, default all three. */
  roles: ReadonlySet<ExchangeRole>;
  /** Distributed: the Kafka brokers whose `topics.commands` is the command log. */
  commandLog: { brokers: string[] } | null;
  /** Topic names, from TOPIC_PREFIX (default `exchange`), so several exchanges can share one Kafka. */
  topics: ExchangeTopics;
  /** Where candles and public trades live: the history SQL database, or MongoDB. */
  marketData: { kind: 'sql' } | { kind: 'mongo'; url: string };
  /**
   * Where the read side (projection into the history database, and its queries) runs: a
   * worker thread owning that database (`worker`, embedded default: SQL work and the embedded
   * database's exports stay off the request thread) or the request thread (`inline`).
   */
  readSide: 'worker' | 'inline';
  /** Readiness fails once the read side is more commands than this behind the engine (READY_MAX_LAG). */
  readyMaxLag: number;
  logLevel: LogLevel;
  /** Embedded: the journal and snapshots live here. */
  dataDir: string;
  /** `batch`: fdatasync once per group commit before answering; `none`: the OS flushes (survives a crash of the process, not of the machine). */
  journalFsync: 'batch' | 'none';
  /** Save an engine snapshot after this many commands. */
  snapshotEvery: number;
  mq: MqConfig;
  /** Accounts and sessions (written on every change), and the order, fill and market-data history. */
  sql: { auth: SqlConfig; history: ExchangeProcessConfig['readSide']['sql'] };
  cache: CacheConfig;
  rateLimiter: RateLimiterConfig;
  keys: AuthKeysConfig;
  /** `local` keeps sessions in memory: only when this one process writes the auth store (embedded). */
  sessionCache: 'local' | 'none';
  auth: Partial<Omit<AuthSettings, 'tokenSigningKey' | 'apiKeyEncryptionKey'>>;
  /** Order entry and cancels per user. */
  tradingRateLimit: RateLimitRule;
  /** The test-funds faucet: the largest deposit per call, or null when there is none. */
  faucet: { maxAmount: string } | null;
  /** Where finished spans go: nowhere, the console, memory (tests read them), or an OTLP collector (Jaeger). */
  tracing: Omit<TracingConfig, 'serviceName'>;
  /** Static files of the web page served at `/`, when the directory exists (default: the built @sd/app-web). */
  webRoot: string;
  /**
   * The market the engine starts from on a fresh journal (MARKETS_FILE, JSON `{ currencies,
   * products }`; default the three built-in products). Afterwards the market is engine state:
   * the admin API changes it, and snapshots and the journal keep it.
   */
  market: MarketDefinition;
  /** EXCHANGE_ADMINS: emails (lower-cased) of the accounts that may use `/api/admin`. */
  admins: ReadonlySet<string>;
  /** The bot developers' sandbox: the demo market (DEMO_MARKET) and a market replay (REPLAY_FILE). */
  sandbox: SandboxConfig;
}

const repoRoot = resolve(__dirname, '../../..');
/**
 * The trading page: dist/ of @sd/app-web, found as a dependency (in the workspace and in a
 * `pnpm deploy`ed image alike), which also makes every build of this app build the page.
 */
const builtWebPage = (): string => join(dirname(require.resolve('@sd/app-web/package.json')), 'dist');
const DISTRIBUTED = 'EXCHANGE_MODE=distributed';

/** Defaults an app serving the exchange differently may change (the variables still win). */
export interface ExchangeDefaults {
  /** PORT's default, 8080. */
  port?: number;
  /** DATA_DIR's default, relative to the repository: `var/exchange`. */
  dataDir?: string;
}

/**
 * Reads the config once at start-up and refuses bad values with a message naming them.
 * EXCHANGE_MODE=embedded (default: file journal, memory MQ, embedded SQL, faucet on, no
 * external service) or distributed (Kafka, PostgreSQL, Redis; faucet off unless FAUCET=on).
 */
export function exchangeConfigFromEnv(env: NodeJS.ProcessEnv, defaults: ExchangeDefaults = {}): ExchangeConfig {
  const mode = oneOf('EXCHANGE_MODE', env.EXCHANGE_MODE ?? 'embedded', ['embedded', 'distributed'] as const);
  const dataDir = resolve(env.DATA_DIR ?? resolve(repoRoot, defaults.dataDir ?? 'var/exchange'));
  const distributed = mode === 'distributed';
  const redis = distributed ? { kind: 'redis' as const, url: required(env, 'REDIS_URL', DISTRIBUTED), keyPrefix: env.REDIS_KEY_PREFIX ?? 'sd:exchange:' } : undefined;
  const faucetOn = oneOf('FAUCET', env.FAUCET ?? (distributed ? 'off' : 'on'), ['on', 'off'] as const) === 'on';
  const brokers = distributed ? required(env, 'KAFKA_BROKERS', DISTRIBUTED).split(',') : [];
  const marketDataKind = oneOf('MARKET_DATA', env.MARKET_DATA ?? 'sql', ['sql', 'mongo'] as const);
  const readSide = oneOf('READ_SIDE', env.READ_SIDE ?? (distributed || marketDataKind === 'mongo' ? 'inline' : 'worker'), ['worker', 'inline'] as const);
  if (readSide === 'worker' && marketDataKind === 'mongo') throw new Error('READ_SIDE=worker keeps candles in the SQL history database; use READ_SIDE=inline with MARKET_DATA=mongo');
  return {
    mode,
    roles: new Set(distributed ? roles(env.ROLES ?? 'engine,api,history') : ['engine', 'api', 'history']),
    commandLog: distributed ? { brokers } : null,
    topics: topics(env.TOPIC_PREFIX ?? 'exchange'),
    marketData: marketDataKind === 'mongo' ? { kind: 'mongo', url: required(env, 'MONGO_URL', 'MARKET_DATA=mongo') } : { kind: 'sql' },
    readSide,
    ...serverConfigFromEnv(env, defaults.port ?? 8080),
    // A stuck read side, not a busy one: 100,000 commands is half a minute at full load.
    readyMaxLag: positiveInteger('READY_MAX_LAG', env.READY_MAX_LAG ?? '100000'),
    logLevel: logLevel(env),
    dataDir,
    journalFsync: oneOf('JOURNAL_FSYNC', env.JOURNAL_FSYNC ?? 'batch', ['batch', 'none'] as const),
    snapshotEvery: positiveInteger('SNAPSHOT_EVERY', env.SNAPSHOT_EVERY ?? '100000'),
    // The broker's smallest session timeout: a dead engine's request partition moves to a standby sooner.
    mq: distributed
      ? { kind: 'kafka', brokers, clientId: 'exchange', sessionTimeoutMs: 6000, stallTimeoutMs: positiveInteger('KAFKA_STALL_TIMEOUT_MS', env.KAFKA_STALL_TIMEOUT_MS ?? '30000') }
      : { kind: 'memory' },
    sql: distributed
      ? { auth: { kind: 'postgres', url: required(env, 'DATABASE_URL', DISTRIBUTED) }, history: { kind: 'postgres', url: required(env, 'DATABASE_URL', DISTRIBUTED) } }
      : {
          auth: { kind: 'embedded', file: resolve(dataDir, 'auth.sqlite'), persist: 'every-write' },
          // Written in place, synced at WAL checkpoints: what a machine crash loses is rebuilt from the journal at start.
          history: { kind: 'sqlite', file: resolve(dataDir, 'history.sqlite') },
        },
    cache: redis ?? { kind: 'memory' },
    rateLimiter: redis ?? { kind: 'memory' },
    keys: authKeysFromEnv(env, { shared: distributed, because: 'EXCHANGE_MODE=distributed', file: resolve(dataDir, 'auth-keys.json') }),
    auth: {},
    sessionCache: distributed ? 'none' : 'local',
    tradingRateLimit: { limit: positiveInteger('ORDERS_PER_SECOND_PER_USER', env.ORDERS_PER_SECOND_PER_USER ?? '50'), windowMs: 1000 },
    faucet: faucetOn ? { maxAmount: env.FAUCET_MAX_AMOUNT ?? '1000000' } : null,
    tracing: {
      exporter: oneOf('TRACING', env.TRACING ?? 'none', ['none', 'console', 'memory', 'otlp'] as const),
      otlpEndpoint: httpUrl('OTEL_EXPORTER_OTLP_ENDPOINT', env.OTEL_EXPORTER_OTLP_ENDPOINT ?? DEFAULT_OTLP_ENDPOINT),
    },
    webRoot: resolve(env.WEB_ROOT ?? builtWebPage()),
    market: env.MARKETS_FILE === undefined ? { currencies: [...DEFAULT_CURRENCIES], products: [...DEFAULT_PRODUCTS] } : marketFile(env.MARKETS_FILE),
    admins: new Set((env.EXCHANGE_ADMINS ?? '').split(',').map((email) => email.trim().toLowerCase()).filter((email) => email !== '')),
    sandbox: sandboxConfig(env, distributed),
  };
}

/** Rough dollar prices of well-known currencies: the demo market's mids (DEMO_PRICES adds or replaces some). */
const DEMO_PRICES: Readonly<Record<string, string>> = { BTC: '30000', ETH: '2000', USDT: '1', USDC: '1', USD: '1' };
const TAPE_FORMATS = ['binance-aggtrades', 'binance-klines', 'coinbase-trades'] as const satisfies readonly TapeFormat[];

/**
 * DEMO_MARKET (on in embedded mode, off in distributed, where an `api` process runs it when
 * asked), DEMO_SEED, DEMO_PRICES; a replay of REPLAY_FILE (embedded only: it drives the
 * engine's clock) into REPLAY_PRODUCT, at CLOCK_SPEED, started now or on request (REPLAY_START).
 */
function sandboxConfig(env: NodeJS.ProcessEnv, distributed: boolean): SandboxConfig {
  const demoOn = oneOf('DEMO_MARKET', env.DEMO_MARKET ?? (distributed ? 'off' : 'on'), ['on', 'off'] as const) === 'on';
  const demoMarket = demoOn ? { seed: integer('DEMO_SEED', env.DEMO_SEED ?? '1', 0), prices: { ...DEMO_PRICES, ...demoPrices(env.DEMO_PRICES ?? '') } } : null;
  const file = env.REPLAY_FILE;
  if (file === undefined) {
    if (env.CLOCK_SPEED !== undefined) throw new Error('CLOCK_SPEED sets the pace of a market replay: set REPLAY_FILE too');
    return { demoMarket, replay: null };
  }
  if (distributed) throw new Error('REPLAY_FILE: a market replay runs in the embedded mode only (it drives the engine\'s clock)');
  if (!existsSync(file)) throw new Error(`REPLAY_FILE ${file}: no such file`);
  return {
    demoMarket,
    replay: {
      file: resolve(file),
      format: env.REPLAY_FORMAT === undefined ? undefined : oneOf('REPLAY_FORMAT', env.REPLAY_FORMAT, TAPE_FORMATS),
      productId: env.REPLAY_PRODUCT ?? 'BTC-USDT',
      start: oneOf('REPLAY_START', env.REPLAY_START ?? 'now', ['now', 'wait'] as const),
      speed: clockSpeed(env.CLOCK_SPEED ?? '1'),
    },
  };
}

/** `BTC:30000,EUR:1.1`: currencies and their dollar prices. */
function demoPrices(value: string): Record<string, string> {
  const prices: Record<string, string> = {};
  for (const entry of value.split(',').map((part) => part.trim()).filter((part) => part !== '')) {
    const [currency, price] = entry.split(':');
    if (currency === undefined || price === undefined || !/^[A-Za-z0-9]{1,20}$/.test(currency) || !/^\d+(\.\d+)?$/.test(price) || /^0*(\.0*)?$/.test(price)) {
      throw new Error(`DEMO_PRICES must list CURRENCY:price pairs with positive decimal prices, comma-separated (BTC:30000,ETH:2000), not ${value}`);
    }
    prices[currency] = price;
  }
  return prices;
}

/** Tape seconds per real second (a positive number), or `max`: as fast as the engine goes. */
function clockSpeed(value: string): number | 'max' {
  if (value === 'max') return 'max';
  const speed = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(speed > 0)) throw new Error(`CLOCK_SPEED must be a positive number of tape seconds per second (60: a minute a second) or max, not ${value}`);
  return speed;
}

/** The file's shape; each currency and product is checked when the engine's catalog is built. */
function marketFile(path: string): MarketDefinition {
  let market: Partial<MarketDefinition>;
  try {
    market = JSON.parse(readFileSync(resolve(path), 'utf8')) as Partial<MarketDefinition>;
  } catch (error) {
    throw new Error(`MARKETS_FILE ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!Array.isArray(market.currencies) || !Array.isArray(market.products)) {
    throw new Error(`MARKETS_FILE ${path} must hold a JSON object with "currencies" and "products" arrays`);
  }
  return { currencies: market.currencies, products: market.products };
}

function topics(prefix: string): ExchangeTopics {
  if (!/^[\w.-]{1,100}$/.test(prefix)) throw new Error(`TOPIC_PREFIX must be letters, digits, '.', '_' or '-', not ${prefix}`);
  return topicsNamed(prefix);
}

function roles(value: string): ExchangeRole[] {
  const listed = value.split(',').map((role) => role.trim());
  const allowed: readonly string[] = ['engine', 'api', 'history'];
  const unknown = listed.find((role) => !allowed.includes(role));
  if (unknown !== undefined || listed.length === 0) throw new Error(`ROLES must list engine, api and/or history, not ${value}`);
  return listed as ExchangeRole[];
}
