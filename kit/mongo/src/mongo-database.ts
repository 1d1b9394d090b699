import { MongoClient, type Db } from 'mongodb';

export interface MongoConfig {
  url: string;
  /** Defaults to the database named in the URL, else `sd`. */
  database?: string;
}

export interface MongoDatabase {
  readonly client: MongoClient;
  readonly db: Db;
  close(): Promise<void>;
}

/**
 * Connects and checks the server answers before returning, so a wrong URL fails at start-up
 * rather than on the first request. Works against MongoDB and FerretDB alike.
 */
export async function openMongoDatabase(config: MongoConfig): Promise<MongoDatabase> {
  const client = new MongoClient(config.url, { serverSelectionTimeoutMS: 10_000 });
  await client.connect();
  const db = client.db(config.database ?? (new URL(config.url).pathname.slice(1) || 'sd'));
  await db.command({ ping: 1 });
  return { client, db, close: () => client.close() };
}
