import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { LatencyHistogram } from '../load/histogram';
import type { LoadRun } from './wrk';

export interface WsLoadOptions {
  /** ws://host:port/ws */
  url: string;
  /** One access token per user; socket i signs in as user i mod users. */
  tokens: readonly string[];
  /** Order bodies (REST's POST /orders JSON), sent in turn. */
  orders: readonly string[];
  sockets: number;
  /** Outstanding requests per socket, closed loop (saturation); a paced run holds its rate whatever is outstanding. */
  window: number;
  /** Client threads the sockets are spread over. */
  threads: number;
  durationS: number;
  /** Run before the measured seconds, not counted (the server's JIT and the book settle). */
  warmupS: number;
  /** Orders per second in all, paced; absent = closed loop (saturation). */
  rate?: number;
}

/** What bench:http's threads are given. */
export interface WsWorkerData {
  url: string;
  sockets: Array<{ token: string; frames: readonly string[] }>;
  window: number;
  durationS: number;
  warmupS: number;
  ratePerSocket?: number;
}

export interface WsWorkerResult {
  answered: number;
  refused: number;
  firstRefusal: string | null;
  seconds: number;
  /** Milliseconds from send to answer of each request answered in the measured seconds. */
  latencies: Float64Array<ArrayBuffer>;
  /** The thread's CPU time over the measured seconds, microseconds. */
  cpuUs: number;
}

export interface WsLoadRun extends LoadRun {
  /** The first refusal's code and message, if any (a bench whose orders are refused measures refusals). */
  firstRefusal: string | null;
  /** The load generator's own CPU per answered request (it shares the machine with the server). */
  clientCpuUsPerRequest: number;
}

const WORKER = resolve(__dirname, 'ws-load-worker.js');

/**
 * WebSocket order entry as high-rate clients drive it: `sockets` connections over `threads`
 * worker threads, each with many place_order requests outstanding. All threads start together;
 * the figures count the answers of the measured seconds. Refused orders count as answered (as
 * wrk's non-2xx) and are reported.
 */
export async function runWsLoad(options: WsLoadOptions): Promise<WsLoadRun> {
  const { sockets, threads } = options;
  const perThread = Array.from({ length: Math.min(threads, sockets) }, (_, thread) =>
    Array.from({ length: sockets }, (_, i) => i)
      .filter((i) => i % threads === thread)
      .map((i) => ({ token: options.tokens[i % options.tokens.length]!, frames: options.orders })),
  );
  const workers = perThread.map(
    (lanes) =>
      new Worker(WORKER, {
        workerData: {
          url: options.url,
          sockets: lanes,
          window: options.window,
          durationS: options.durationS,
          warmupS: options.warmupS,
          ratePerSocket: options.rate === undefined ? undefined : options.rate / sockets,
        } satisfies WsWorkerData,
      }),
  );
  try {
    const next = (worker: Worker, kind: string): Promise<unknown> =>
      new Promise((done, fail) => {
        const onMessage = (message: { kind: string; message?: string; result?: WsWorkerResult }): void => {
          if (message.kind === kind) {
            worker.off('message', onMessage);
            done(message.result);
          } else if (message.kind === 'error') fail(new Error(`ws load: ${message.message}`));
        };
        worker.on('message', onMessage);
        worker.once('error', fail);
      });
    await Promise.all(workers.map((worker) => next(worker, 'ready')));
    const at = Date.now() + 100;
    const results = (await Promise.all(
      workers.map((worker) => {
        const result = next(worker, 'result');
        worker.postMessage({ kind: 'start', at });
        return result;
      }),
    )) as WsWorkerResult[];
    const latency = new LatencyHistogram();
    for (const { latencies } of results) for (const ms of latencies) latency.recordMs(ms);
    const answered = results.reduce((sum, result) => sum + result.answered, 0);
    return {
      rps: Math.round(answered / options.durationS),
      requests: answered,
      non2xx: results.reduce((sum, result) => sum + result.refused, 0),
      socketErrors: 0,
      p50Ms: latency.percentileMs(50),
      p99Ms: latency.percentileMs(99),
      maxMs: latency.maxMs,
      firstRefusal: results.find((result) => result.firstRefusal !== null)?.firstRefusal ?? null,
      clientCpuUsPerRequest: Math.round(results.reduce((sum, result) => sum + result.cpuUs, 0) / Math.max(1, answered)),
    };
  } finally {
    for (const worker of workers) worker.postMessage({ kind: 'close' });
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
