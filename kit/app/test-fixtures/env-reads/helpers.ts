// Fixture for env-reads.spec.ts: the ways a config reader reaches a variable.
export function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

export function logLevel(env: NodeJS.ProcessEnv): string {
  return env.LOG_LEVEL ?? 'info';
}

/** An untyped env: only the argument it was given makes it one. */
export function untyped(source: Record<string, string | undefined>): string | undefined {
  return source.UNTYPED;
}

export function viaProcess(): string | undefined {
  return process.env.FROM_PROCESS;
}

export function overloaded(env: NodeJS.ProcessEnv, strict: true): string;
export function overloaded(env: NodeJS.ProcessEnv, strict: boolean): string | undefined;
export function overloaded(env: NodeJS.ProcessEnv, strict: boolean): string | undefined {
  return strict ? required(env, 'OVERLOADED') : env.OVERLOADED;
}
