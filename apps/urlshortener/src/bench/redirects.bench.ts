import 'reflect-metadata';
import { Agent, request } from 'node:http';
import { serveApp } from '@sd/app/app-container';
import { HitCounter } from '@sd/urlshortener/module';
import { urlShortenerConfigFromEnv } from '../config';
import { createUrlShortenerContainer } from '../container';

/**
 * Redirects per second on the embedded default (sql.js + memory cache), app and client in
 * this one process on loopback: keep-alive connections each loop GET /:alias over LINKS links.
 * Env: BENCH_SECONDS (default 5), BENCH_CONNECTIONS (default 32), BENCH_LINKS (default 100).
 */
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const linkCount = Number(process.env.BENCH_LINKS ?? 100);

interface Reply {
  status: number;
  body: string;
}

function call(agent: Agent, port: number, method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: {
          ...(payload && { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          ...(options.token && { authorization: `Bearer ${options.token}` }),
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function main(): Promise<void> {
  const config = urlShortenerConfigFromEnv({ LOG_LEVEL: 'silent', PORT: '0', LINKS_PER_MINUTE_PER_USER: '1000000', LINKS_PER_MINUTE_PER_IP: '1000000' });
  const app = await serveApp(await createUrlShortenerContainer(config), { port: 0 });
  const { container, server } = app;
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const credentials = { email: 'bench@example.com', password: 'Correct-Horse-7' };
  await call(agent, server.port, 'POST', '/api/users', { body: credentials });
  const { access_token: token } = JSON.parse((await call(agent, server.port, 'POST', '/api/users/accessToken', { body: credentials })).body) as { access_token: string };
  const aliases: string[] = [];
  for (let i = 0; i < linkCount; i++) {
    const created = await call(agent, server.port, 'POST', '/api/links', { token, body: { url: `https://example.com/page/${i}` } });
    if (created.status !== 201) throw new Error(`create failed: ${created.status} ${created.body}`);
    aliases.push((JSON.parse(created.body) as { alias: string }).alias);
  }

  const latenciesUs: number[] = [];
  let failures = 0;
  const loop = async (worker: number, until: number, record: boolean): Promise<void> => {
    for (let i = worker; Date.now() < until; i += connections) {
      const started = process.hrtime.bigint();
      const reply = await call(agent, server.port, 'GET', `/${aliases[i % aliases.length]}`);
      if (reply.status !== 302) failures++;
      if (record) latenciesUs.push(Number(process.hrtime.bigint() - started) / 1000);
    }
  };
  const run = (ms: number, record: boolean): Promise<void[]> => {
    const until = Date.now() + ms;
    return Promise.all(Array.from({ length: connections }, (_, worker) => loop(worker, until, record)));
  };
  await run(1_000, false); // warm-up: JIT, cache filled
  const started = process.hrtime.bigint();
  await run(seconds * 1_000, true);
  const elapsedS = Number(process.hrtime.bigint() - started) / 1e9;

  // Every redirect, warm-up included, must be in the store once the counter has flushed.
  await container.get(HitCounter).flush();
  const links = JSON.parse((await call(agent, server.port, 'GET', '/api/links', { token })).body) as Array<{ hits: number }>;
  const counted = links.reduce((sum, link) => sum + link.hits, 0);

  agent.destroy();
  await app.close();

  latenciesUs.sort((x, y) => x - y);
  const pct = (p: number): number => Math.round(latenciesUs[Math.min(latenciesUs.length - 1, Math.floor((p / 100) * latenciesUs.length))] ?? 0) / 1000;
  const result = {
    redirects_per_s: Math.round(latenciesUs.length / elapsedS),
    requests: latenciesUs.length,
    seconds: Number(elapsedS.toFixed(2)),
    connections,
    links: linkCount,
    p50_ms: pct(50),
    p99_ms: pct(99),
    failures,
    hits_stored: counted,
  };
  console.table([result]);
  console.log(JSON.stringify(result));
  if (failures > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
