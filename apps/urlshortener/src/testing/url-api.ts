import { randomUUID } from 'node:crypto';
import type { Application } from 'express';
import request from 'supertest';
import { testAuthKeys, testAuthSettings } from '@sd/auth/testing/test-auth-config';
import type { UrlShortenerConfig } from '../config';

/** A config for tests: embedded SQL, memory cache, fresh keys, cheap scrypt, generous limits. */
export function testConfig(overrides: Partial<Omit<UrlShortenerConfig, 'links'>> & { links?: Partial<UrlShortenerConfig['links']> } = {}): UrlShortenerConfig {
  const { links, ...rest } = overrides;
  return {
    http: { host: '127.0.0.1', port: 0 },
    logLevel: 'silent',
    sql: { kind: 'embedded' },
    cache: { kind: 'memory' },
    rateLimiter: { kind: 'memory' },
    keys: testAuthKeys(),
    auth: testAuthSettings(),
    ...rest,
    links: {
      redirectStatus: 302,
      createPerUser: { limit: 1_000, windowMs: 60_000 },
      createPerIp: { limit: 1_000, windowMs: 60_000 },
      hitFlushIntervalMs: 60_000,
      cacheTtlMs: 60_000,
      ...links,
    },
  };
}

/** A client of one app instance (an express app or a base URL) from one IP. */
export class UrlApi {
  constructor(
    readonly target: Application | string,
    readonly ip = `10.${rand()}.${rand()}.${rand()}`,
  ) {}

  req(method: 'get' | 'post' | 'delete', path: string, token?: string): request.Test {
    const test = request(this.target)[method](path).set('x-forwarded-for', this.ip);
    return token === undefined ? test : test.set('authorization', `Bearer ${token}`);
  }

  /** Signs up and logs in a new user; returns its access token. */
  async newUser(): Promise<string> {
    const credentials = { email: `user-${randomUUID()}@example.com`, password: 'Correct-Horse-7' };
    await this.req('post', '/api/users').send(credentials).expect(201);
    return (await this.req('post', '/api/users/accessToken').send(credentials).expect(200)).body.access_token;
  }

  create(token: string, body: Record<string, unknown>): request.Test {
    return this.req('post', '/api/links', token).send(body);
  }
}

const rand = (): number => Math.floor(Math.random() * 250) + 1;
