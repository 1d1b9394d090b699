import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';

/**
 * A fresh PostgreSQL schema for one test file, so its migrations run from scratch and its
 * tables never meet other suites' in the shared database. The returned URL selects the schema
 * through `search_path`; `drop` removes it and everything in it.
 */
export async function isolatedPostgresSchema(baseUrl: string, prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const schema = `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const admin = new DataSource({ type: 'postgres', url: baseUrl, extra: { max: 1 } });
  await admin.initialize();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    drop: async () => {
      await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
      await admin.destroy();
    },
  };
}
