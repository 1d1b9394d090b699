import { parseArgs } from 'node:util';
import type { TransportKind } from './load/transport';

/** A command line that cannot run; main prints the message and the usage, and exits with 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const USAGE = `usage: node apps/botclient/dist/main.js <command> [--flags]

commands:
  setup          sign up, log in and fund users; writes them to --out
    --count N (10)  --api-keys  --fund USDT=1000000,BTC=100,ETH=1000  --out botclient-users.json
    --prefix P (random)  --password P (random)  --concurrency N (4)
  market-maker   quote both sides around the mid and refresh, signed with API keys
    --users FILE  --pick 0  --product BTC-USDT  --levels 3  --step 5 (price steps)
    --size-multiple 5  --refresh 1s  --mid PRICE  --duration D (until Ctrl-C)  --seed 1
  taker          cross the book with market and limit IOC orders, signed with API keys
    --users FILE  --pick 1-  --product BTC-USDT  --interval 500ms  --size-multiple 3  --duration D  --seed 2
  load           HTTP load test with bearer tokens; closed loop (connections x pipelining
                 requests in flight) unless --rate sets an open loop
    --users FILE  --product BTC-USDT  --connections 64  --pipelining 1  --transport raw|undici|http
    --rate N/s  --duration 20s  --warmup 0s  --mid PRICE  --mix passive,crossing,cancel (0.6,0.1,0.3)
    --spread 50 (price steps)  --max-open 200 (per user)  --seed 1
  backtest       run a sample strategy (mean reversion on the last trade price) against the
                 exchange's replay (started with REPLAY_FILE=... REPLAY_START=wait): signs up and funds
                 a fresh user, starts the replay, trades until it is done, prints its fills and P&L
    --fund USDT=100000,BTC=1  --window 20 (trades)  --band 5 (bps)  --size-multiple 10
    --max-orders 5 (position limit, in orders)  --poll 250ms

every command: --url http://127.0.0.1:8080 (the exchange)
durations: 500ms, 20s, 2m, or a bare number of seconds; --pick: 0 | 0,2 | 1-3 | 1- (to the last user)`;

const DEFAULT_URL = 'http://127.0.0.1:8080';
const DEFAULT_USERS = 'botclient-users.json';

export type Command =
  | { command: 'help' }
  | { command: 'backtest'; url: string; fund: Record<string, string>; window: number; bandBps: number; sizeMultiple: number; maxOrders: number; pollMs: number }
  | { command: 'setup'; url: string; count: number; apiKeys: boolean; fund: Record<string, string>; out: string; prefix?: string; password?: string; concurrency: number }
  | {
      command: 'market-maker';
      url: string;
      users: string;
      pick: Pick;
      productId: string;
      levels: number;
      stepTicks: number;
      sizeMultiple: number;
      refreshMs: number;
      mid?: string;
      durationMs?: number;
      seed: number;
    }
  | { command: 'taker'; url: string; users: string; pick: Pick; productId: string; intervalMs: number; sizeMultiple: number; durationMs?: number; seed: number }
  | {
      command: 'load';
      url: string;
      users: string;
      productId: string;
      connections: number;
      pipelining: number;
      transport: TransportKind;
      rate?: number;
      durationMs: number;
      warmupMs: number;
      mid?: string;
      weights: { passive: number; crossing: number; cancel: number };
      spreadSteps: number;
      maxOpenPerUser: number;
      seed: number;
    };

/** Which users of the users file a bot command drives, given how many there are. */
export type Pick = (available: number) => number[];

export function parseCommand(argv: readonly string[]): Command {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') return { command: 'help' };
  switch (name) {
    case 'setup': {
      const v = flags(rest, {
        url: { type: 'string' },
        count: { type: 'string' },
        'api-keys': { type: 'boolean' },
        fund: { type: 'string' },
        out: { type: 'string' },
        prefix: { type: 'string' },
        password: { type: 'string' },
        concurrency: { type: 'string' },
      });
      return {
        command: 'setup',
        url: url(v.url),
        count: positiveInt('count', v.count, 10),
        apiKeys: v['api-keys'] === true,
        fund: parseFund(v.fund ?? 'USDT=1000000,BTC=100,ETH=1000'),
        out: v.out ?? DEFAULT_USERS,
        ...(v.prefix !== undefined && { prefix: v.prefix }),
        ...(v.password !== undefined && { password: v.password }),
        concurrency: positiveInt('concurrency', v.concurrency, 4),
      };
    }
    case 'market-maker': {
      const v = flags(rest, {
        url: { type: 'string' },
        users: { type: 'string' },
        pick: { type: 'string' },
        product: { type: 'string' },
        levels: { type: 'string' },
        step: { type: 'string' },
        'size-multiple': { type: 'string' },
        refresh: { type: 'string' },
        mid: { type: 'string' },
        duration: { type: 'string' },
        seed: { type: 'string' },
      });
      return {
        command: 'market-maker',
        url: url(v.url),
        users: v.users ?? DEFAULT_USERS,
        pick: parsePick(v.pick ?? '0'),
        productId: v.product ?? 'BTC-USDT',
        levels: positiveInt('levels', v.levels, 3),
        stepTicks: positiveInt('step', v.step, 5),
        sizeMultiple: positiveInt('size-multiple', v['size-multiple'], 5),
        refreshMs: parseDuration('refresh', v.refresh ?? '1s'),
        ...(v.mid !== undefined && { mid: decimal('mid', v.mid) }),
        ...(v.duration !== undefined && { durationMs: parseDuration('duration', v.duration) }),
        seed: nonNegativeInt('seed', v.seed, 1),
      };
    }
    case 'taker': {
      const v = flags(rest, {
        url: { type: 'string' },
        users: { type: 'string' },
        pick: { type: 'string' },
        product: { type: 'string' },
        interval: { type: 'string' },
        'size-multiple': { type: 'string' },
        duration: { type: 'string' },
        seed: { type: 'string' },
      });
      return {
        command: 'taker',
        url: url(v.url),
        users: v.users ?? DEFAULT_USERS,
        pick: parsePick(v.pick ?? '1-'),
        productId: v.product ?? 'BTC-USDT',
        intervalMs: parseDuration('interval', v.interval ?? '500ms'),
        sizeMultiple: positiveInt('size-multiple', v['size-multiple'], 3),
        ...(v.duration !== undefined && { durationMs: parseDuration('duration', v.duration) }),
        seed: nonNegativeInt('seed', v.seed, 2),
      };
    }
    case 'load': {
      const v = flags(rest, {
        url: { type: 'string' },
        users: { type: 'string' },
        product: { type: 'string' },
        connections: { type: 'string' },
        pipelining: { type: 'string' },
        transport: { type: 'string' },
        rate: { type: 'string' },
        duration: { type: 'string' },
        warmup: { type: 'string' },
        mid: { type: 'string' },
        mix: { type: 'string' },
        spread: { type: 'string' },
        'max-open': { type: 'string' },
        seed: { type: 'string' },
      });
      const transport = transportKind(v.transport);
      const pipelining = positiveInt('pipelining', v.pipelining, 1);
      if (transport === 'http' && pipelining > 1) throw new UsageError('--pipelining needs --transport raw or undici (node:http does not pipeline)');
      return {
        command: 'load',
        url: url(v.url),
        users: v.users ?? DEFAULT_USERS,
        productId: v.product ?? 'BTC-USDT',
        connections: positiveInt('connections', v.connections, 64),
        pipelining,
        transport,
        ...(v.rate !== undefined && { rate: positiveInt('rate', v.rate, 0) }),
        durationMs: parseDuration('duration', v.duration ?? '20s'),
        warmupMs: v.warmup === undefined ? 0 : parseDuration('warmup', v.warmup, { allowZero: true }),
        ...(v.mid !== undefined && { mid: decimal('mid', v.mid) }),
        weights: parseMix(v.mix ?? '0.6,0.1,0.3'),
        spreadSteps: positiveInt('spread', v.spread, 50),
        maxOpenPerUser: positiveInt('max-open', v['max-open'], 200),
        seed: nonNegativeInt('seed', v.seed, 1),
      };
    }
    case 'backtest': {
      const v = flags(rest, {
        url: { type: 'string' },
        fund: { type: 'string' },
        window: { type: 'string' },
        band: { type: 'string' },
        'size-multiple': { type: 'string' },
        'max-orders': { type: 'string' },
        poll: { type: 'string' },
      });
      return {
        command: 'backtest',
        url: url(v.url),
        fund: parseFund(v.fund ?? 'USDT=100000,BTC=1'),
        window: positiveInt('window', v.window, 20),
        bandBps: positiveInt('band', v.band, 5),
        sizeMultiple: positiveInt('size-multiple', v['size-multiple'], 10),
        maxOrders: positiveInt('max-orders', v['max-orders'], 5),
        pollMs: parseDuration('poll', v.poll ?? '250ms'),
      };
    }
    default:
      throw new UsageError(`unknown command ${name}`);
  }
}

type Options = Record<string, { type: 'string' | 'boolean' }>;

function flags<T extends Options>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

const TRANSPORTS: readonly TransportKind[] = ['raw', 'undici', 'http'];

function transportKind(value: string | undefined): TransportKind {
  const kind = value ?? 'raw';
  if (!(TRANSPORTS as readonly string[]).includes(kind)) throw new UsageError(`--transport must be one of ${TRANSPORTS.join(', ')}, not ${kind}`);
  return kind as TransportKind;
}

function url(value: string | undefined): string {
  const text = value ?? DEFAULT_URL;
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new UsageError(`--url must be an http URL, not ${text}`);
  }
  if (parsed.protocol !== 'http:' || (parsed.pathname !== '/' && parsed.pathname !== '')) {
    throw new UsageError(`--url must be an http origin such as ${DEFAULT_URL}, not ${text}`);
  }
  return parsed.origin;
}

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(parsed) || parsed < 1) throw new UsageError(`--${name} must be a positive integer, not ${value}`);
  return parsed;
}

function nonNegativeInt(name: string, value: string | undefined, fallback: number): number {
  if (value === '0') return 0;
  return positiveInt(name, value, fallback);
}

function decimal(name: string, value: string): string {
  if (!/^\d+(\.\d+)?$/.test(value) || /^0+(\.0+)?$/.test(value)) throw new UsageError(`--${name} must be a positive decimal number, not ${value}`);
  return value;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

/** `500ms`, `20s`, `2m`, or a bare number of seconds; whole milliseconds. */
export function parseDuration(name: string, value: string, { allowZero = false } = {}): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value);
  const ms = match ? Math.round(Number(match[1]) * UNITS[match[2] ?? 's']!) : NaN;
  if (!Number.isSafeInteger(ms) || ms < 0 || (ms === 0 && !allowZero)) {
    throw new UsageError(`--${name} must be a ${allowZero ? '' : 'positive '}duration such as 500ms, 20s or 2m, not ${value}`);
  }
  return ms;
}

/** `USDT=1000000,BTC=100`: currency codes and positive decimal amounts. */
export function parseFund(value: string): Record<string, string> {
  const fund: Record<string, string> = {};
  for (const part of value.split(',')) {
    const match = /^([A-Z0-9]{2,10})=(\d+(?:\.\d+)?)$/.exec(part.trim());
    if (!match || /^0+(\.0+)?$/.test(match[2]!)) throw new UsageError(`--fund must look like USDT=1000000,BTC=100, not ${value}`);
    fund[match[1]!] = match[2]!;
  }
  return fund;
}

/** `passive,crossing,cancel` shares, e.g. `0.6,0.1,0.3`. */
export function parseMix(value: string): { passive: number; crossing: number; cancel: number } {
  const parts = value.split(',').map((part) => (/^\d+(\.\d+)?$/.test(part.trim()) ? Number(part) : NaN));
  if (parts.length !== 3 || parts.some((p) => Number.isNaN(p)) || parts[0]! + parts[1]! + parts[2]! <= 0) {
    throw new UsageError(`--mix must be three non-negative shares passive,crossing,cancel such as 0.6,0.1,0.3, not ${value}`);
  }
  const [passive, crossing, cancel] = parts as [number, number, number];
  return { passive, crossing, cancel };
}

/** `0`, `0,2`, `1-3`, `1-`: indices into the users file, checked against how many it has. */
export function parsePick(value: string): Pick {
  const ranges = value.split(',').map((part) => {
    const match = /^(\d+)(?:(-)(\d+)?)?$/.exec(part.trim());
    if (!match) throw new UsageError(`--pick must look like 0 | 0,2 | 1-3 | 1-, not ${value}`);
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : match[3] === undefined ? undefined : Number(match[3]);
    if (to !== undefined && to < from) throw new UsageError(`--pick range ${part} runs backwards`);
    return { from, to };
  });
  return (available) => {
    const picked = new Set<number>();
    for (const { from, to } of ranges) {
      const last = to ?? available - 1;
      if (from >= available || last >= available) throw new UsageError(`--pick ${value} names users beyond the ${available} in the users file`);
      for (let i = from; i <= last; i++) picked.add(i);
    }
    return [...picked].sort((a, b) => a - b);
  };
}

export interface BenchOptions {
  rate: number;
  durationMs: number;
  warmupMs: number;
  users: number;
  connections: number;
  pipelining: number;
  transport: TransportKind;
  productId: string;
  mid: string;
  /** The same load against a bare node:http JSON server instead of the exchange: the machine's ceiling. */
  baseline: boolean;
}

export const BENCH_USAGE = `usage: pnpm bench:api [-- --flags]
  --rate 15000 (orders/s, open loop)  --duration 20s  --warmup 5s  --users 10
  --connections 64  --pipelining 1  --transport raw|undici|http  --product BTC-USDT  --mid 30000
  --baseline (a bare node:http JSON server instead of the exchange: what the machine allows)`;

/** bench:api's flags: the load test's, with the number of users to set up instead of a users file. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const v = flags([...argv], {
    rate: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    users: { type: 'string' },
    connections: { type: 'string' },
    pipelining: { type: 'string' },
    transport: { type: 'string' },
    product: { type: 'string' },
    mid: { type: 'string' },
    baseline: { type: 'boolean' },
  });
  const transport = transportKind(v.transport);
  return {
    baseline: v.baseline === true,
    rate: positiveInt('rate', v.rate, 15_000),
    durationMs: parseDuration('duration', v.duration ?? '20s'),
    warmupMs: parseDuration('warmup', v.warmup ?? '5s', { allowZero: true }),
    users: positiveInt('users', v.users, 10),
    connections: positiveInt('connections', v.connections, 64),
    pipelining: positiveInt('pipelining', v.pipelining, 1),
    transport,
    productId: v.product ?? 'BTC-USDT',
    mid: decimal('mid', v.mid ?? '30000'),
  };
}

export interface SoakOptions {
  rate: number;
  durationMs: number;
  windowMs: number;
  users: number;
  connections: number;
  productId: string;
  mid: string;
}

export const SOAK_USAGE = `usage: pnpm soak [-- --flags]   (SOAK_SECONDS sets the default duration)
  --rate 300 (orders/s, open loop)  --duration 180s  --window 10s  --users 10  --connections 16
  --product BTC-USDT  --mid 30000`;

/** soak's flags: a moderate open-loop rate for minutes, figures per window. */
export function parseSoakArgs(argv: readonly string[], env: NodeJS.ProcessEnv = {}): SoakOptions {
  const v = flags([...argv], {
    rate: { type: 'string' },
    duration: { type: 'string' },
    window: { type: 'string' },
    users: { type: 'string' },
    connections: { type: 'string' },
    product: { type: 'string' },
    mid: { type: 'string' },
  });
  const durationMs = parseDuration('duration', v.duration ?? `${env.SOAK_SECONDS ?? 180}s`);
  const windowMs = parseDuration('window', v.window ?? '10s');
  if (durationMs < windowMs) throw new UsageError(`--duration (${durationMs} ms) must cover at least one --window (${windowMs} ms)`);
  return {
    rate: positiveInt('rate', v.rate, 300),
    durationMs,
    windowMs,
    users: positiveInt('users', v.users, 10),
    connections: positiveInt('connections', v.connections, 16),
    productId: v.product ?? 'BTC-USDT',
    mid: decimal('mid', v.mid ?? '30000'),
  };
}
