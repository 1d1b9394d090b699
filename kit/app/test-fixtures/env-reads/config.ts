import { logLevel, overloaded, required, untyped, viaProcess } from './helpers';

export function readsEverything(env: NodeJS.ProcessEnv): unknown {
  const { DESTRUCTURED, RENAMED: renamed } = env;
  return {
    direct: env.DIRECT,
    bracket: env['BRACKET'],
    present: 'PRESENT' in env,
    destructured: [DESTRUCTURED, renamed],
    url: required(env, 'REQUIRED_URL'),
    level: logLevel(env),
    untyped: untyped(env),
    fromProcess: viaProcess(),
    overloaded: overloaded(env, true),
  };
}

export function hidesReads(env: NodeJS.ProcessEnv, key: string): unknown {
  const all = Object.keys(env);
  const holder = { env };
  return [env[key], all, holder];
}
