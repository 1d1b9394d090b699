import { randomUUID } from 'node:crypto';
import type { Application } from 'express';
import request from 'supertest';
import { testAuthKeys, testAuthSettings } from '@sd/auth/testing/test-auth-config';
import { signedHeaders, type ApiCredentials } from '@sd/auth/testing/coinbase-client';
import type { UserConfig } from '../config';

/** A config for tests: embedded SQL, memory cache, fresh keys, cheap scrypt, generous limits. */
export function testConfig(overrides: Partial<Omit<UserConfig, 'auth'>> & { auth?: UserConfig['auth'] } = {}): UserConfig {
  const { auth, ...rest } = overrides;
  return {
    http: { host: '127.0.0.1', port: 0 },
    logLevel: 'silent',
    sql: { kind: 'embedded' },
    cache: { kind: 'memory' },
    rateLimiter: { kind: 'memory' },
    keys: testAuthKeys(),
    ...rest,
    auth: testAuthSettings(auth),
  };
}

export const STRONG_PASSWORD = 'Correct-Horse-7';
export const newEmail = (): string => `user-${randomUUID()}@example.com`;

/**
 * Drives the users API of one app instance (an express app, or a base URL of a listening
 * one) as a client from `ip` would (X-Forwarded-For, trusted from loopback).
 */
export class UserApi {
  constructor(
    readonly target: Application | string,
    readonly ip = `10.${rand()}.${rand()}.${rand()}`,
  ) {}

  req(method: 'get' | 'post' | 'delete', path: string): request.Test {
    return request(this.target)[method](path).set('x-forwarded-for', this.ip);
  }

  signUp(email: string, password = STRONG_PASSWORD): request.Test {
    return this.req('post', '/api/users').send({ email, password });
  }

  logIn(email: string, password = STRONG_PASSWORD): request.Test {
    return this.req('post', '/api/users/accessToken').send({ email, password });
  }

  /** Signs up and logs in a new user; returns its email and tokens. */
  async newUser(): Promise<{ email: string; id: string; accessToken: string; refreshToken: string }> {
    const email = newEmail();
    const { body: user } = await this.signUp(email).expect(201);
    const { body } = await this.logIn(email).expect(200);
    return { email, id: user.id, accessToken: body.access_token, refreshToken: body.refresh_token };
  }

  as(accessToken: string, method: 'get' | 'post' | 'delete', path: string): request.Test {
    return this.req(method, path).set('authorization', `Bearer ${accessToken}`);
  }

  signed(credentials: ApiCredentials, method: 'GET' | 'POST' | 'DELETE', path: string, options: { body?: unknown; timestamp?: string } = {}): request.Test {
    const body = options.body === undefined ? '' : JSON.stringify(options.body);
    const test = this.req(method.toLowerCase() as 'get', path).set(
      signedHeaders(credentials, { method, requestPath: path, body, timestamp: options.timestamp }),
    );
    return options.body === undefined ? test : test.set('content-type', 'application/json').send(body);
  }
}

const rand = (): number => Math.floor(Math.random() * 250) + 1;
