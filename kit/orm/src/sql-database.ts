import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createHash } from 'node:crypto';
import { DataSource, MigrationExecutor, type EntitySchema, type MixedList } from 'typeorm';
import type { HealthCheck } from '@sd/domain/health';
import type { SqljsDriver } from 'typeorm/driver/sqljs/SqljsDriver';
import { keepDecimalsAsText } from './decimal-column';
import { exclusive } from './embedded-lock';

/**
 * Where SQL data lives. `embedded` is SQLite compiled to WebAssembly (sql.js): no server and
 * no native build; without `file` it is in memory only.
 */
export type SqlConfig =
  | { kind: 'postgres'; url: string; poolSize?: number }
  | { kind: 'embedded'; file?: string; persist?: 'every-write' | 'on-demand' };

export interface SqlSchema {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  /**
   * PostgreSQL migrations, run at open under an advisory lock (see `migrateUnderLock`); the
   * embedded database is synchronized from the entities.
   */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  /** Default `migrations`; an app composing several domains passes all their entities and migrations at once. */
  migrationsTableName?: string;
}

/** An app's SQL database, bound by its composition root; the container closes it on unbind. */
export const SqlDatabase = Symbol.for('sd.orm.SqlDatabase');

export interface SqlDatabase {
  readonly dataSource: DataSource;
  readonly kind: SqlConfig['kind'];
  /** Writes an embedded database to its file now (atomically); a no-op for PostgreSQL. */
  persist(): Promise<void>;
  /** Resolves when the database answers a query (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** One schema of the tables of several domains sharing a database. */
export function combineSqlSchemas(schemas: readonly SqlSchema[]): SqlSchema {
  return { entities: schemas.flatMap((schema) => schema.entities as unknown[]), migrations: schemas.flatMap((schema) => schema.migrations as unknown[]) } as SqlSchema;
}

/** The readiness check of a database, named by engine and by what it holds: `postgresql:auth`. */
export function sqlHealthCheck(db: SqlDatabase, holds: string): HealthCheck {
  return { name: `${db.kind === 'postgres' ? 'postgresql' : 'sqlite'}:${holds}`, check: () => db.ping() };
}

async function selectOne(dataSource: DataSource): Promise<void> {
  await dataSource.query('SELECT 1');
}

export async function openSqlDatabase(config: SqlConfig, schema: SqlSchema): Promise<SqlDatabase> {
  switch (config.kind) {
    case 'postgres': {
      const migrationsTableName = schema.migrationsTableName ?? 'migrations';
      const dataSource = new DataSource({
        type: 'postgres',
        url: config.url,
        entities: schema.entities,
        migrations: schema.migrations,
        migrationsTableName,
        synchronize: false,
        extra: { max: config.poolSize ?? 10 },
      });
      await dataSource.initialize();
      try {
        await migrateUnderLock(dataSource, migrationsTableName);
      } catch (error) {
        await dataSource.destroy();
        throw error;
      }
      return { dataSource, kind: 'postgres', persist: async () => undefined, ping: () => selectOne(dataSource), close: () => dataSource.destroy() };
    }
    case 'embedded': {
      const { file } = config;
      const saveTo = file ? (data: Uint8Array): Promise<void> => writeAtomically(file, data) : undefined;
      const dataSource = new DataSource({
        type: 'sqljs',
        database: file ? await readIfExists(file) : undefined,
        entities: schema.entities,
        synchronize: false,
        autoSave: saveTo !== undefined && config.persist !== 'on-demand',
        autoSaveCallback: saveTo,
      });
      await dataSource.initialize();
      keepDecimalsAsText(dataSource);
      await dataSource.synchronize();
      const persist = async (): Promise<void> => {
        if (saveTo) await saveTo((dataSource.driver as SqljsDriver).export());
      };
      return {
        dataSource,
        kind: 'embedded',
        persist,
        ping: () => selectOne(dataSource),
        // After the stores' pending work: they run under the same lock.
        close: () =>
          exclusive(dataSource, async () => {
            await persist();
            await dataSource.destroy();
          }),
      };
    }
  }
}

/**
 * The advisory lock key of one migrations table: its schema and name hashed to a signed
 * 64-bit integer, so processes migrating other schemas of the same database never wait on it.
 */
export function migrationLockKey(schema: string, migrationsTableName: string): string {
  return createHash('sha256').update(`sd-migrations:${schema}.${migrationsTableName}`).digest().readBigInt64BE(0).toString();
}

/**
 * Every process runs the migrations at start. On a fresh database two of them would both see
 * a migration as pending and race to apply it; under a session-level advisory lock one
 * migrates while the others wait, then find nothing left to do. The lock and the migrations
 * share one connection (a pool of one cannot deadlock), and it ends with the session, so a
 * process dying mid-migration frees it.
 */
async function migrateUnderLock(dataSource: DataSource, migrationsTableName: string): Promise<void> {
  const runner = dataSource.createQueryRunner();
  try {
    const [{ schema }] = (await runner.query('SELECT current_schema() AS schema')) as [{ schema: string }];
    const key = migrationLockKey(schema, migrationsTableName);
    await runner.query('SELECT pg_advisory_lock($1)', [key]);
    try {
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'all';
      await executor.executePendingMigrations();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [key]);
    }
  } finally {
    await runner.release();
  }
}

async function readIfExists(file: string): Promise<Uint8Array | undefined> {
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Temp file, fsync, rename: a crash leaves either the old or the new file, never half of one. */
async function writeAtomically(file: string, data: Uint8Array): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.tmp`;
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
}
