import { MongoClient, type Db } from 'mongodb';
import type { HealthCheck } from '@sd/domain/health';

export interface MongoConfig {
  url: string;
  /** Defaults to the database named in the URL, else `sd`. */
  database?: string;
}

export interface MongoDatabase {
  readonly client: MongoClient;
  readonly db: Db;
  /** Resolves when the server answers `ping` (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The readiness check of a MongoDB database, named by what it holds: `mongodb:market-data`. */
export function mongoHealthCheck(mongo: MongoDatabase, holds: string): HealthCheck {
  return { name: `mongodb:${holds}`, check: () => mongo.ping() };
}

/**
 * Connects and checks the server answers before returning, so a wrong URL fails at start-up
 * rather than on the first request. Works against MongoDB and FerretDB alike.
 */
export async function openMongoDatabase(config: MongoConfig): Promise<MongoDatabase> {
  const client = new MongoClient(config.url, { serverSelectionTimeoutMS: 10_000 });
  await client.connect();
  const db = client.db(config.database ?? (new URL(config.url).pathname.slice(1) || 'sd'));
  const ping = async (): Promise<void> => {
    await db.command({ ping: 1 });
  };
  await ping();
  return { client, db, ping, close: () => client.close() };
}
