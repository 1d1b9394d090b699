import { Redis } from 'ioredis';
import type { Cache, CacheSetOptions } from '@sd/domain/cache';
import type { Logger } from '@sd/domain/logger';
import { checkedTtl } from '../memory/memory-cache';

export interface RedisCacheOptions {
  url: string;
  /** Prepended to every key, so apps (or test runs) sharing a Redis keep apart. */
  keyPrefix?: string;
  logger?: Logger;
}

/** Redis adapter: SET ... PX for expiry, SET ... NX for `setIfAbsent` (atomic on the server). */
export class RedisCache implements Cache {
  private readonly redis: Redis;

  constructor(options: RedisCacheOptions) {
    this.redis = new Redis(options.url, {
      keyPrefix: options.keyPrefix,
      lazyConnect: true, // connects on the first command, not in the constructor
      maxRetriesPerRequest: 2,
      connectionName: 'sd-cache',
    });
    this.redis.on('error', (error: Error) => options.logger?.warn({ err: error.message }, 'redis cache connection error'));
  }

  async get(key: string): Promise<string | null> {
    return this.redis.get(key);
  }

  async set(key: string, value: string, options?: CacheSetOptions): Promise<void> {
    const ttlMs = checkedTtl(options?.ttlMs);
    if (ttlMs === undefined) await this.redis.set(key, value);
    else await this.redis.set(key, value, 'PX', ttlMs);
  }

  async setIfAbsent(key: string, value: string, options?: CacheSetOptions): Promise<boolean> {
    const ttlMs = checkedTtl(options?.ttlMs);
    const reply = ttlMs === undefined ? await this.redis.set(key, value, 'NX') : await this.redis.set(key, value, 'PX', ttlMs, 'NX');
    return reply === 'OK';
  }

  async delete(key: string): Promise<boolean> {
    return (await this.redis.del(key)) > 0;
  }

  /** Resolves when Redis answers PING (readiness). */
  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    if (this.redis.status === 'ready') await this.redis.quit();
    else this.redis.disconnect();
  }
}
