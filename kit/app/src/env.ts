/**
 * Readers of environment variables for an app's `configFromEnv`: each refuses a bad value
 * with a message naming the variable, so a misconfigured app stops at start-up.
 */

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
