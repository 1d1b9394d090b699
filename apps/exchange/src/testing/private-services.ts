import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const SERVICES = resolve(__dirname, '../../../../scripts/services');
const run = promisify(execFile);

export type PrivateService = 'postgres' | 'kafka' | 'redis' | 'ferretdb';

/** Where `scripts/services` records each service's main process in its SERVICES_DIR. */
const PID_FILES: Record<PrivateService, string> = {
  postgres: 'postgres/data/postmaster.pid',
  kafka: 'kafka/kafka.pid',
  redis: 'redis/redis.pid',
  ferretdb: 'ferretdb/ferretdb.pid',
};

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
    readonly redisUrl: string,
    readonly mongoUrl: string,
    private readonly names: PrivateService[],
  ) {}

  /** PostgreSQL and Kafka by default; `names` may add Redis and FerretDB. */
  static async up(names: PrivateService[] = ['postgres', 'kafka']): Promise<PrivateServices> {
    const dir = mkdtempSync(join(tmpdir(), 'sd-private-services-'));
    chmodSync(dir, 0o755); // the server runs as the postgres OS user when this runs as root
    const [pg, kafka, controller, redis, ferret] = await freePorts(5);
    const env = {
      ...process.env,
      SERVICES_DIR: dir,
      SERVICES_PG_PORT: String(pg),
      // Tests kill these services: a commit PostgreSQL answered must survive that, as on a real server.
      SERVICES_PG_SYNCHRONOUS_COMMIT: 'on',
      SERVICES_KAFKA_PORT: String(kafka),
      SERVICES_KAFKA_CONTROLLER_PORT: String(controller),
      SERVICES_REDIS_PORT: String(redis),
      SERVICES_FERRETDB_PORT: String(ferret),
    };
    const services = new PrivateServices(dir, env, `postgres://sd:sd@127.0.0.1:${pg}/sd`, `127.0.0.1:${kafka}`, `redis://127.0.0.1:${redis}`, `mongodb://127.0.0.1:${ferret}/`, names);
    try {
      await services.start(...names);
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

  /**
   * Sends `signal` to the service's processes: its main process and, for PostgreSQL, the
   * backends it forked (a SIGSTOP of the postmaster alone leaves open connections served).
   */
  signal(name: PrivateService, signal: 'SIGSTOP' | 'SIGCONT' | 'SIGKILL'): void {
    const main = Number(readFileSync(join(this.dir, PID_FILES[name]), 'utf8').split('\n')[0]);
    const pids = name === 'postgres' ? [main, ...childrenOf(main)] : [main];
    for (const pid of pids) process.kill(pid, signal);
  }

  /** Stops them all and removes their data. */
  async down(): Promise<void> {
    try {
      await this.services('down', this.names);
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

/** The processes whose parent is `pid` (from /proc). */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        return Number(readFileSync(`/proc/${entry}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')[1]) === pid;
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
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
