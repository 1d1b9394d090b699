/**
 * Readers of environment variables for an app's `configFromEnv`: each refuses a bad value
 * with a message naming the variable, so a misconfigured app stops at start-up.
 */
import proxyAddr from 'proxy-addr';
import { DEFAULT_CONNECTION_LIMITS, type ConnectionLimits } from '@sd/http/server';

export function port(value: string, name = 'PORT'): number {
  return integer(name, value, 0, 65535);
}

export function positiveInteger(name: string, value: string): number {
  return integer(name, value, 1);
}

export function integer(name: string, value: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
    throw new Error(`${name} must be an integer in ${min}..${max}, not ${value}`);
  }
  return parsed;
}

export function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new Error(`${name} must be one of ${allowed.join(', ')}, not ${value}`);
  return value as T;
}

/** The variable's value; `because` says what needs it (`EXCHANGE_MODE=distributed`). */
export function required(env: NodeJS.ProcessEnv, name: string, because: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is required with ${because}`);
  return value;
}

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** LOG_LEVEL, `info` when unset. */
export function logLevel(env: NodeJS.ProcessEnv): LogLevel {
  return oneOf('LOG_LEVEL', env.LOG_LEVEL ?? 'info', LOG_LEVELS);
}

/** An http(s) URL, such as a collector's base URL. */
export function httpUrl(name: string, value: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(value);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || !['http:', 'https:'].includes(parsed.protocol)) throw new Error(`${name} must be an http:// or https:// URL, not ${value}`);
  return value;
}

/**
 * METRICS_PORT: where `/metrics` is served, apart from the public API port. Default: the API
 * port + 1000 (exchange 9080, user 9081, ...), or any free port when the API port is 0.
 */
export function metricsPort(env: NodeJS.ProcessEnv, apiPort: number): number {
  if (env.METRICS_PORT === undefined) return apiPort === 0 ? 0 : port(String(apiPort + 1000), 'METRICS_PORT (default: PORT + 1000)');
  const chosen = port(env.METRICS_PORT, 'METRICS_PORT');
  if (chosen !== 0 && chosen === apiPort) throw new Error(`METRICS_PORT must differ from PORT (${apiPort}): /metrics stays off the public API port`);
  return chosen;
}

/** Which proxies' X-Forwarded-For express believes: `true`, a hop count, or addresses, subnets and names. */
export type TrustProxy = boolean | number | readonly string[];

/**
 * TRUST_PROXY in express's trust-proxy syntax: `true`/`false`, a number of hops, or a comma
 * list of addresses, CIDR subnets and the names `loopback`, `linklocal`, `uniquelocal`.
 * Default `loopback`: a proxy on the same host. Behind a load balancer, name its subnet so
 * `req.ip` (and every per-client rate limit) is the real client, not the balancer.
 */
export function trustProxy(env: NodeJS.ProcessEnv): TrustProxy {
  const value = (env.TRUST_PROXY ?? 'loopback').trim();
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\d+$/.test(value)) return integer('TRUST_PROXY', value, 0, 100);
  const list = value.split(',').map((entry) => entry.trim());
  try {
    proxyAddr.compile(list);
  } catch (error) {
    throw new Error(`TRUST_PROXY must be true, false, a hop count or a list of addresses, subnets and loopback/linklocal/uniquelocal: ${(error as Error).message}`);
  }
  return list;
}

/** Where an app serves its API and its metrics, and whose X-Forwarded-For it believes. */
export interface ServerConfig {
  /** `limits`: the connection limits `listen` applies (HTTP_MAX_CONNECTIONS_PER_IP; 0 behind a proxy, where every connection comes from its address). */
  http: { host: string; port: number; limits?: Partial<ConnectionLimits> };
  /** `/metrics`, on a port of its own (METRICS_PORT). */
  metrics: { host: string; port: number };
  /** Whose X-Forwarded-For sets the client address, the key of per-IP rate limits (TRUST_PROXY). */
  trustProxy: TrustProxy;
}

/** HOST (default 127.0.0.1), PORT (default `defaultPort`), HTTP_MAX_CONNECTIONS_PER_IP, METRICS_PORT and TRUST_PROXY. */
export function serverConfigFromEnv(env: NodeJS.ProcessEnv, defaultPort: number): ServerConfig {
  const limits = { maxConnectionsPerIp: integer('HTTP_MAX_CONNECTIONS_PER_IP', env.HTTP_MAX_CONNECTIONS_PER_IP ?? String(DEFAULT_CONNECTION_LIMITS.maxConnectionsPerIp), 0) };
  const http = { host: env.HOST ?? '127.0.0.1', port: port(env.PORT ?? String(defaultPort)), limits };
  return { http, metrics: { host: http.host, port: metricsPort(env, http.port) }, trustProxy: trustProxy(env) };
}
