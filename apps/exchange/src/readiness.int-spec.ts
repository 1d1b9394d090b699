import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { distributedEnv } from './testing/distributed-env';
import { ExchangeProcess } from './testing/exchange-process';
import { PrivateServices, type PrivateService } from './testing/private-services';

jest.setTimeout(300_000);

/** What the issue asks of readiness: false within this long of a dependency stopping. */
const NOTICED_WITHIN_MS = 5_000;

interface ReadyAnswer {
  status: number;
  body: { status: string; message?: string; checks: Record<string, { status: string; error?: string }> };
}

/**
 * Readiness against real dependencies that really stop: an engine + history process and an
 * API process in distributed mode, on a PostgreSQL and a Kafka of this test's own (the shared
 * Redis stays up). Each stop must turn both processes unready, naming the part, within 5 s;
 * each start must make them ready again.
 */
describe('exchange readiness, distributed mode, while PostgreSQL and Kafka stop and return', () => {
  let services: PrivateServices | undefined;
  const processes: ExchangeProcess[] = [];
  const dirs: string[] = [];

  beforeAll(async () => {
    services = await PrivateServices.up();
    const env = {
      ...distributedEnv('ready', services.databaseUrl, { kafkaBrokers: services.kafkaBrokers }),
      LOG_LEVEL: 'info', // ExchangeProcess reads the URL from the start-up line
    };
    for (const roles of ['engine,history', 'api']) {
      const dataDir = mkdtempSync(join(tmpdir(), 'sd-exchange-ready-'));
      dirs.push(dataDir);
      processes.push(await ExchangeProcess.start({ ...env, ROLES: roles, DATA_DIR: dataDir }));
    }
  });

  afterAll(async () => {
    for (const exchange of processes) await exchange.kill('SIGTERM');
    await services?.down();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const ready = async (exchange: ExchangeProcess): Promise<ReadyAnswer> => {
    const response = await fetch(`${exchange.url}/api/health/ready`);
    return { status: response.status, body: (await response.json()) as ReadyAnswer['body'] };
  };

  /** Milliseconds until every process answers as `wanted`, polling every 100 ms; throws after `timeoutMs`. */
  const until = async (wanted: (answer: ReadyAnswer) => boolean, timeoutMs: number): Promise<number> => {
    const started = performance.now();
    for (;;) {
      const answers = await Promise.all(processes.map(ready));
      if (answers.every(wanted)) return performance.now() - started;
      if (performance.now() - started > timeoutMs) {
        throw new Error(`not reached in ${timeoutMs} ms: ${JSON.stringify(answers)}\n${processes.map((p) => p.recentOutput()).join('\n')}`);
      }
      await new Promise((done) => setTimeout(done, 100));
    }
  };

  it('starts ready, with every dependency of each role checked', async () => {
    const [engine, api] = await Promise.all(processes.map(ready));
    expect(engine).toMatchObject({ status: 200, body: { status: 'ready' } });
    expect(Object.keys(engine!.body.checks).sort()).toEqual(['kafka', 'postgresql:history', 'read-side']);
    expect(api).toMatchObject({ status: 200, body: { status: 'ready' } });
    expect(Object.keys(api!.body.checks).sort()).toEqual(['command-log-replica', 'kafka', 'postgresql:auth', 'postgresql:history', 'read-side', 'redis:cache', 'redis:ratelimit']);
  });

  it.each<[PrivateService, RegExp]>([
    ['postgres', /^postgresql:/],
    ['kafka', /^kafka$/],
  ])('turns unready within 5 s of stopping %s, naming it, and ready again once it is back', async (service, part) => {
    const names = (answer: ReadyAnswer): string[] => Object.entries(answer.body.checks).filter(([, check]) => check.status === 'down').map(([name]) => name);
    const stopping = performance.now();
    await services!.stop(service);
    const stopMs = performance.now() - stopping;
    const noticedMs = await until((answer) => answer.status === 503 && names(answer).some((name) => part.test(name)), 30_000);
    console.log(`[readiness] ${service}: stop took ${Math.round(stopMs)} ms; unready ${Math.round(noticedMs)} ms after it returned`);
    expect(noticedMs).toBeLessThan(NOTICED_WITHIN_MS);
    const [answer] = await Promise.all(processes.map(ready));
    expect(answer!.body.message).toMatch(/^not ready: /);

    await services!.start(service);
    const recoveredMs = await until((answer) => answer.status === 200, 60_000);
    console.log(`[readiness] ${service}: ready again ${Math.round(recoveredMs)} ms after it answered`);
  });
});
