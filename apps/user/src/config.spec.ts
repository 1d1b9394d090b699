import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Application } from 'express';
import request from 'supertest';
import { silentLogger } from '@sd/logging/logger';
import { closeAppContainer } from '@sd/app/app-container';
import { resolveAuthKeys } from '@sd/auth/auth-keys';
import { HttpApp } from '@sd/http/http-app.module';
import { configurationDrift } from '@sd/app/testing/env-reads';
import { userConfigFromEnv } from './config';
import { createUserContainer } from './container';

describe('user app config', () => {
  const key32 = Buffer.alloc(32, 7).toString('base64');

  it('defaults to embedded SQL, memory cache and generated dev keys under the data dir, on loopback', () => {
    const config = userConfigFromEnv({ DATA_DIR: '/tmp/sd-user' });
    expect(config).toMatchObject({
      http: { host: '127.0.0.1', port: 8081 },
      sql: { kind: 'embedded', file: '/tmp/sd-user/user.sqlite' },
      cache: { kind: 'memory' },
      rateLimiter: { kind: 'memory' },
      auth: { kind: 'embedded', keys: { kind: 'generated', file: '/tmp/sd-user/auth-keys.json' } },
    });
  });

  it('selects PostgreSQL and Redis, and then requires shared keys', () => {
    const env = { SQL: 'postgres', DATABASE_URL: 'postgres://db', CACHE: 'redis', REDIS_URL: 'redis://r', AUTH_TOKEN_SECRET: key32, AUTH_ENCRYPTION_KEY: key32 };
    expect(userConfigFromEnv(env)).toMatchObject({
      sql: { kind: 'postgres', url: 'postgres://db' },
      cache: { kind: 'redis', url: 'redis://r', keyPrefix: 'sd:user:' },
      rateLimiter: { kind: 'redis', url: 'redis://r' },
      auth: { kind: 'embedded', keys: { kind: 'configured' } },
    });
    expect(() => userConfigFromEnv({ ...env, AUTH_TOKEN_SECRET: undefined, AUTH_ENCRYPTION_KEY: undefined })).toThrow('required with SQL=postgres');
  });

  it('refuses bad values before starting', () => {
    expect(() => userConfigFromEnv({ SQL: 'mysql' })).toThrow('SQL must be one of embedded, postgres');
    expect(() => userConfigFromEnv({ SQL: 'postgres' })).toThrow('DATABASE_URL is required');
    expect(() => userConfigFromEnv({ CACHE: 'redis' })).toThrow('REDIS_URL is required');
    expect(() => userConfigFromEnv({ PORT: 'eighty' })).toThrow('PORT must be an integer');
    expect(() => userConfigFromEnv({ AUTH_TOKEN_SECRET: key32 })).toThrow('both');
    expect(() => userConfigFromEnv({ AUTH_TOKEN_SECRET: 'c2hvcnQ=', AUTH_ENCRYPTION_KEY: key32 })).toThrow('at least 32 bytes');
    expect(() => userConfigFromEnv({ ACCESS_TOKEN_TTL_SECONDS: '-5' })).toThrow('ACCESS_TOKEN_TTL_SECONDS');
    expect(() => userConfigFromEnv({ AUTH: 'remote' })).toThrow('AUTH must be one of embedded, not remote');
  });

  it('generates dev keys once, private to the owner, and keeps tokens valid across a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'user-app-'));
    try {
      const read = userConfigFromEnv({ DATA_DIR: dir, LOG_LEVEL: 'silent' });
      const config = { ...read, auth: { ...read.auth, settings: { scrypt: { cost: 1024, blockSize: 8, parallelization: 1 } } } };
      const first = await resolveAuthKeys(config.auth.keys, silentLogger);
      expect((await stat(join(dir, 'auth-keys.json'))).mode & 0o777).toBe(0o600);
      expect(await resolveAuthKeys(config.auth.keys, silentLogger)).toEqual(first);
      expect(JSON.parse(await readFile(join(dir, 'auth-keys.json'), 'utf8'))).toHaveProperty('token_signing_key');

      const before = await createUserContainer(config);
      const app = before.get<Application>(HttpApp);
      await request(app).post('/api/users').send({ email: 'restart@example.com', password: 'Password-1' }).expect(201);
      const { body } = await request(app).post('/api/users/accessToken').send({ email: 'restart@example.com', password: 'Password-1' }).expect(200);
      await closeAppContainer(before);

      const after = await createUserContainer(config);
      await request(after.get<Application>(HttpApp)).get('/api/users/self').set('authorization', `Bearer ${body.access_token}`).expect(200);
      await closeAppContainer(after);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('docs/configuration.md', () => {
  it('lists every variable userConfigFromEnv reads, through every function it calls, and no other', () => {
    const root = resolve(__dirname, '../../..');
    expect(configurationDrift({ root, appDir: 'apps/user', reader: 'userConfigFromEnv', unreachable: ['AUTH_URL', 'AUTH_TIMEOUT_MS', 'AUTH_CACHE_TTL_MS'] })).toEqual({ undocumented: [], stale: [], unresolved: [] });
    // The auth prelude reads these only with AUTH=remote, which the auth service itself refuses.
    expect(() => userConfigFromEnv({ AUTH: 'remote', AUTH_URL: 'http://user:8081' })).toThrow('AUTH must be one of embedded, not remote');
  }, 60_000);
});
