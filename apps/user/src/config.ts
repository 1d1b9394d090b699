import { resolve } from 'node:path';
import { logLevel, serverConfigFromEnv, type LogLevel, type ServerConfig } from '@sd/app/env';
import { authAppConfigFromEnv, type AuthAppConfig, type EmbeddedAuthConfig } from '@sd/auth/auth-config';

export interface UserConfig extends AuthAppConfig, ServerConfig {
  logLevel: LogLevel;
  /** The user app is the auth service: always the auth domain itself. */
  auth: EmbeddedAuthConfig;
}

/** Default data directory: `<repo>/var/user` (ignored by git). */
const defaultDataDir = resolve(__dirname, '../../../var/user');

/**
 * Reads the config once at start-up and refuses bad values with a message naming them.
 * HOST, PORT (8081), METRICS_PORT, TRUST_PROXY, LOG_LEVEL, DATA_DIR (the embedded database and generated keys), and the
 * auth prelude's variables (see `authAppConfigFromEnv`: SQL, CACHE, AUTH_TOKEN_SECRET, ...).
 */
export function userConfigFromEnv(env: NodeJS.ProcessEnv): UserConfig {
  const dataDir = resolve(env.DATA_DIR ?? defaultDataDir);
  return {
    ...serverConfigFromEnv(env, 8081),
    logLevel: logLevel(env),
    ...authAppConfigFromEnv(env, { redisKeyPrefix: 'sd:user:', sqlFile: resolve(dataDir, 'user.sqlite'), keysFile: resolve(dataDir, 'auth-keys.json'), remote: false }),
  };
}
