import { randomUUID } from 'node:crypto';
import type { Application } from 'express';
import request from 'supertest';
import { signedHeaders, type ApiCredentials } from './coinbase-client';

export const STRONG_PASSWORD = 'Correct-Horse-7';
export const newEmail = (): string => `user-${randomUUID()}@example.com`;

export interface TestUser {
  id: string;
  email: string;
  accessToken: string;
  refreshToken: string;
}

export type HttpMethod = 'get' | 'post' | 'patch' | 'delete';

/**
 * Drives the users API (`/api/users...`) of one app (an express app, or the base URL of a
 * listening one) as a client from `ip` would (X-Forwarded-For, trusted from loopback). The
 * user, chat and URL shortener suites sign up and log in through it.
 */
export class AuthClient {
  constructor(
    readonly target: Application | string,
    readonly ip = `10.${octet()}.${octet()}.${octet()}`,
  ) {}

  req(method: HttpMethod, path: string): request.Test {
    return request(this.target)[method](path).set('x-forwarded-for', this.ip);
  }

  /** A request with `accessToken` as bearer token. */
  as(accessToken: string, method: HttpMethod, path: string): request.Test {
    return this.req(method, path).set('authorization', `Bearer ${accessToken}`);
  }

  signUp(email: string, password = STRONG_PASSWORD): request.Test {
    return this.req('post', '/api/users').send({ email, password });
  }

  logIn(email: string, password = STRONG_PASSWORD): request.Test {
    return this.req('post', '/api/users/accessToken').send({ email, password });
  }

  /** Signs up and logs in a new user. */
  async newUser(): Promise<TestUser> {
    const email = newEmail();
    const { body: user } = await this.signUp(email).expect(201);
    const { body } = await this.logIn(email).expect(200);
    return { id: user.id, email, accessToken: body.access_token, refreshToken: body.refresh_token };
  }

  /** A Coinbase-signed request with `credentials`. */
  signed(credentials: ApiCredentials, method: 'GET' | 'POST' | 'DELETE', path: string, options: { body?: unknown; timestamp?: string } = {}): request.Test {
    const body = options.body === undefined ? '' : JSON.stringify(options.body);
    const test = this.req(method.toLowerCase() as HttpMethod, path).set(signedHeaders(credentials, { method, requestPath: path, body, timestamp: options.timestamp }));
    return options.body === undefined ? test : test.set('content-type', 'application/json').send(body);
  }
}

const octet = (): number => Math.floor(Math.random() * 250) + 1;
