export { Prng } from '../usecase/core/prng';

/** The seed from `name` in the environment (to replay a failure), or `fallback`. */
export function seedFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = env[name];
  if (value === undefined) return fallback;
  const seed = Number(value);
  if (!Number.isSafeInteger(seed)) throw new Error(`${name} must be an integer, not ${value}`);
  return seed;
}
