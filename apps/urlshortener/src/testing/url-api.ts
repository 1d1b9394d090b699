import { AuthClient, testAuthAppConfig, type HttpMethod } from '@sd/auth/testing';
import type request from 'supertest';
import type { UrlShortenerConfig } from '../config';

/** A config for tests: `testAuthAppConfig`, generous limits. */
export function testConfig(overrides: Partial<Omit<UrlShortenerConfig, 'links'>> & { links?: Partial<UrlShortenerConfig['links']> } = {}): UrlShortenerConfig {
  const { links, ...rest } = overrides;
  return {
    ...testAuthAppConfig(),
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

/** A client of one URL shortener instance (an express app or a base URL) from one IP. */
export class UrlApi extends AuthClient {
  /** A request, with `token` as bearer token when given. */
  override req(method: HttpMethod, path: string, token?: string): request.Test {
    const test = super.req(method, path);
    return token === undefined ? test : test.set('authorization', `Bearer ${token}`);
  }

  create(token: string, body: Record<string, unknown>): request.Test {
    return this.as(token, 'post', '/api/links').send(body);
  }
}
