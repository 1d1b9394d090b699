import { execFile, spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { Pool } from 'undici';
import { LatencyHistogram } from '../load/histogram';

const run = promisify(execFile);

/** One request as the load generator sends it; `raw` requests rotate (users, prices). */
export interface BenchRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadRun {
  /** Completed requests per second. */
  rps: number;
  requests: number;
  /** Answers that were not 2xx, and socket errors (connect, read, write, timeout). */
  non2xx: number;
  socketErrors: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface LoadOptions {
  url: string;
  requests: readonly BenchRequest[];
  durationS: number;
  connections: number;
  threads: number;
  /** Requests per second for a paced run; absent = as fast as the server answers (saturation). */
  rate?: number;
}

export interface LoadGenerator {
  /** What the table says measured the figures. */
  readonly name: string;
  run(options: LoadOptions, scriptPath: string): Promise<LoadRun>;
}

/**
 * wrk from Debian, installed with apt when missing (as root). Without it, a node client takes
 * its place and says so: it costs the machine more CPU per request than wrk, so its figures
 * are lower bounds.
 */
export async function loadGenerator(note: (line: string) => void): Promise<LoadGenerator> {
  if (hasWrk()) return wrk;
  note('wrk is missing: installing it with apt-get (Debian package wrk)');
  const installed = spawnSync('sh', ['-c', 'apt-get install -y wrk || (apt-get update && apt-get install -y wrk)'], { stdio: ['ignore', 2, 2] });
  if (installed.status === 0 && hasWrk()) return wrk;
  note('FALLBACK: wrk could not be installed; measuring with the node client (undici), whose own CPU use lowers every figure');
  return nodeClient;
}

function hasWrk(): boolean {
  return spawnSync('wrk', ['--version']).error === undefined;
}

/**
 * The Lua wrk runs: requests rotate through the list; a paced run schedules each thread's
 * requests at fixed intervals on a monotonic clock (LuaJIT FFI) through wrk's `delay()`, so
 * the offered rate holds whatever the answers take (latency is timed from each send); `done`
 * prints the figures as one JSON line.
 */
export function wrkScript(requests: readonly BenchRequest[], ratePerThread: number | undefined): string {
  const lua = (text: string): string => JSON.stringify(text); // a JSON string is a valid Lua string literal for ASCII text
  const rows = requests.map((r) => `  {${lua(r.method)}, ${lua(r.path)}, {${Object.entries(r.headers ?? {}).map(([k, v]) => `[${lua(k)}]=${lua(v)}`).join(', ')}}, ${r.body === undefined ? 'nil' : lua(r.body)}}`);
  return `local rows = {
${rows.join(',\n')}
}
local prepared = {}
local counter = 0
function init(args)
  for i, row in ipairs(rows) do prepared[i] = wrk.format(row[1], row[2], row[3], row[4]) end
  counter = math.random(#prepared) - 1
end
function request()
  counter = counter % #prepared + 1
  return prepared[counter]
end
${
  ratePerThread === undefined
    ? ''
    : `local ffi = require("ffi")
ffi.cdef[[ typedef struct { long tv_sec; long tv_nsec; } bench_timespec; int clock_gettime(int, bench_timespec*); ]]
local now = ffi.new("bench_timespec")
local function now_ms() ffi.C.clock_gettime(1, now); return tonumber(now.tv_sec) * 1000 + tonumber(now.tv_nsec) / 1e6 end
local interval = 1000 / ${ratePerThread}
local due = nil
function delay()
  local t = now_ms()
  if due == nil or due < t - 1000 then due = t end
  due = due + interval
  local wait = due - t
  if wait < 0 then return 0 end
  return math.floor(wait)
end
`
}
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('BENCH {"requests":%d,"duration_us":%d,"non2xx":%d,"socket_errors":%d,"p50_us":%d,"p99_us":%d,"max_us":%d}\\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
`;
}

const wrk: LoadGenerator = {
  name: 'wrk',
  async run(options, scriptPath) {
    const threads = options.threads;
    await writeFile(scriptPath, wrkScript(options.requests, options.rate === undefined ? undefined : options.rate / threads));
    const args = ['-t', String(threads), '-c', String(options.connections), '-d', `${options.durationS}s`, '--timeout', '5s', '-s', scriptPath, options.url];
    const { stdout } = await run('wrk', args, { maxBuffer: 1 << 20 });
    const line = stdout.split('\n').find((l) => l.startsWith('BENCH '));
    if (line === undefined) throw new Error(`wrk printed no figures:\n${stdout}`);
    const figures = JSON.parse(line.slice('BENCH '.length)) as Record<string, number>;
    const seconds = figures.duration_us! / 1e6;
    return {
      rps: Math.round(figures.requests! / seconds),
      requests: figures.requests!,
      non2xx: figures.non2xx!,
      socketErrors: figures.socket_errors!,
      p50Ms: figures.p50_us! / 1000,
      p99Ms: figures.p99_us! / 1000,
      maxMs: figures.max_us! / 1000,
    };
  },
};

/** The fallback: `connections` closed loops through an undici pool, or an open loop at `rate`. */
const nodeClient: LoadGenerator = {
  name: 'node (fallback)',
  async run(options) {
    const pool = new Pool(options.url, { connections: options.connections, pipelining: 1 });
    const latency = new LatencyHistogram();
    let requests = 0;
    let non2xx = 0;
    let socketErrors = 0;
    let next = 0;
    const started = performance.now();
    const deadline = started + options.durationS * 1000;
    const send = async (): Promise<void> => {
      const request = options.requests[next++ % options.requests.length]!;
      const sent = performance.now();
      try {
        const answer = await pool.request({ method: request.method, path: request.path, headers: request.headers, body: request.body });
        await answer.body.dump();
        if (answer.statusCode < 200 || answer.statusCode >= 300) non2xx++;
      } catch {
        socketErrors++;
      }
      latency.recordMs(performance.now() - sent);
      requests++;
    };
    if (options.rate === undefined) {
      await Promise.all(Array.from({ length: options.connections }, async () => {
        while (performance.now() < deadline) await send();
      }));
    } else {
      const interval = 1000 / options.rate;
      const inFlight = new Set<Promise<void>>();
      for (let due = started; due < deadline; due += interval) {
        const wait = due - performance.now();
        if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
        const one = send().finally(() => inFlight.delete(one));
        inFlight.add(one);
      }
      await Promise.all(inFlight);
    }
    await pool.close();
    const seconds = (performance.now() - started) / 1000;
    return {
      rps: Math.round(requests / seconds),
      requests,
      non2xx,
      socketErrors,
      p50Ms: latency.percentileMs(50),
      p99Ms: latency.percentileMs(99),
      maxMs: latency.maxMs,
    };
  },
};
