import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const SERVICES = resolve(__dirname, '../../../../scripts/services');
const run = promisify(execFile);

export type PrivateService = 'postgres' | 'kafka';

/**
 * A PostgreSQL and a Kafka of this test's own, run by `scripts/services` in a temporary
 * SERVICES_DIR on free loopback ports: the installed binaries, fresh data. A test may stop and
 * start them; the shared services other suites use are never touched.
 */
export class PrivateServices {
  private constructor(
    private readonly dir: string,
    private readonly env: NodeJS.ProcessEnv,
    readonly databaseUrl: string,
    readonly kafkaBrokers: string,
  ) {}

  static async up(): Promise<PrivateServices> {
    const dir = mkdtempSync(join(tmpdir(), 'sd-private-services-'));
    chmodSync(dir, 0o755); // the server runs as the postgres OS user when this runs as root
    const [pg, kafka, controller] = await freePorts(3);
    const env = {
      ...process.env,
      SERVICES_DIR: dir,
      SERVICES_PG_PORT: String(pg),
      SERVICES_KAFKA_PORT: String(kafka),
      SERVICES_KAFKA_CONTROLLER_PORT: String(controller),
    };
    const services = new PrivateServices(dir, env, `postgres://sd:sd@127.0.0.1:${pg}/sd`, `127.0.0.1:${kafka}`);
    try {
      await services.start('postgres', 'kafka');
    } catch (error) {
      await services.down();
      throw error;
    }
    return services;
  }

  async start(...names: PrivateService[]): Promise<void> {
    await this.services('up', names);
  }

  async stop(...names: PrivateService[]): Promise<void> {
    await this.services('down', names);
  }

  /** Stops both and removes their data. */
  async down(): Promise<void> {
    try {
      await this.services('down', ['postgres', 'kafka']);
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }

  private async services(command: 'up' | 'down', names: PrivateService[]): Promise<void> {
    try {
      await run(SERVICES, [command, ...names], { env: this.env, timeout: 300_000 });
    } catch (error) {
      const { stderr } = error as { stderr?: string };
      throw new Error(`scripts/services ${command} ${names.join(' ')} failed:\n${stderr ?? String(error)}`);
    }
  }
}

/** Ports the OS has just handed out and taken back: free unless another process grabs one first. */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<ReturnType<typeof createServer>>((done) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => done(server));
    })),
  );
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  return ports;
}
