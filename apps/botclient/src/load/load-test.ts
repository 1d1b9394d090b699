import { performance } from 'node:perf_hooks';
import { LatencyHistogram } from './histogram';
import { type LoadAction, type MarketSpec, type MixOptions, OrderMix } from './order-mix';
import { classify, type Outcome, Tally } from './outcomes';
import { createTransport, type TransportKind } from './transport';

export type LoadMode =
  /** `concurrency` requests always in flight: each sends its next as soon as its last is answered. */
  | { kind: 'closed'; concurrency: number }
  /** Requests sent on a fixed schedule whatever the answers; latency counts from the scheduled time. */
  | { kind: 'open'; rate: number };

export interface LoadConfig {
  origin: string;
  /** Bearer access tokens, one per user; requests go to them in turn. */
  tokens: string[];
  market: MarketSpec;
  mix: MixOptions;
  mode: LoadMode;
  connections: number;
  pipelining: number;
  transport: TransportKind;
  durationMs: number;
  /** Where the progress bar goes (stderr); none when undefined. */
  progress?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Answers still missing this long after the last send are counted as errors. */
  drainTimeoutMs?: number;
  /** Called with every answer as it is counted (soak windows); latency as recorded in the histogram. */
  onAnswer?: (latencyMs: number, outcome: Outcome['kind']) => void;
}

export interface LoadResult {
  config: Pick<LoadConfig, 'mode' | 'connections' | 'pipelining' | 'transport' | 'durationMs'> & { users: number; productId: string };
  /** From the first send to the last answer. */
  elapsedS: number;
  places: number;
  cancels: number;
  ok: number;
  rejected: Tally;
  errors: Tally;
  latency: LatencyHistogram;
  /** CPU time the generator process used, and the same per answered request. */
  cpu: { percentOfOneCore: number; microsPerRequest: number };
  maxInFlight: number;
}

/** Runs one load test; resolves when every request has been answered (or timed out). */
export async function runLoad(config: LoadConfig): Promise<LoadResult> {
  if (config.tokens.length === 0) throw new Error('the load test needs at least one user');
  const transport = createTransport(config.transport, { origin: config.origin, connections: config.connections, pipelining: config.pipelining });
  const mix = new OrderMix(config.market, config.mix, config.tokens.length);
  const auth = config.tokens.map((token) => `Bearer ${token}`);
  const latency = new LatencyHistogram();
  const rejected = new Tally();
  const errors = new Tally();
  let ok = 0;
  let places = 0;
  let cancels = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let nextUser = 0;
  let onIdle: (() => void) | undefined;
  // Cleared at the drain timeout: answers arriving after it were already counted as errors.
  let counting = true;

  const send = (action: LoadAction, scheduledAt: number): Promise<void> => {
    inFlight += 1;
    if (inFlight > maxInFlight) maxInFlight = inFlight;
    const authorization = auth[action.user]!;
    const request =
      action.kind === 'place'
        ? transport.send('POST', '/api/orders', { authorization, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(action.body)) }, action.body)
        : transport.send('DELETE', `/api/orders/client:${action.clientOid}`, { authorization }, undefined);
    if (action.kind === 'place') places += 1;
    else cancels += 1;
    return request.then(
      (answer) => {
        if (!counting) return;
        const outcome = classify(answer.status, answer.body);
        if (outcome.kind === 'ok') {
          ok += 1;
          if (action.kind === 'place' && action.rests) mix.rested(action.user, action.clientOid);
        } else if (outcome.kind === 'rejected') rejected.add(outcome.code);
        else errors.add(outcome.label);
        done(scheduledAt, outcome.kind);
      },
      (error: unknown) => {
        if (!counting) return;
        errors.add(`network ${(error as { code?: string }).code ?? (error as Error).message}`);
        done(scheduledAt, 'error');
      },
    );
  };
  const done = (scheduledAt: number, outcome: Outcome['kind']): void => {
    const ms = performance.now() - scheduledAt;
    latency.recordMs(ms);
    config.onAnswer?.(ms, outcome);
    inFlight -= 1;
    if (inFlight === 0) onIdle?.();
  };
  const nextAction = (): LoadAction => {
    const user = nextUser;
    nextUser = (nextUser + 1) % auth.length;
    return mix.next(user);
  };

  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const deadline = start + config.durationMs;
  const progress = config.progress ? startProgress(config.progress, start, config.durationMs, latency, errors, rejected) : undefined;

  if (config.mode.kind === 'closed') {
    const worker = async (): Promise<void> => {
      while (performance.now() < deadline) await send(nextAction(), performance.now());
    };
    await Promise.all(Array.from({ length: config.mode.concurrency }, worker));
  } else {
    const interval = 1000 / config.mode.rate;
    await new Promise<void>((resolve) => {
      let index = 0;
      const tick = (): void => {
        const now = Math.min(performance.now(), deadline);
        for (let due = start + index * interval; due <= now && due < deadline; due = start + ++index * interval) void send(nextAction(), due);
        if (performance.now() >= deadline) resolve();
        else setTimeout(tick, 1);
      };
      tick();
    });
  }

  const drained = await new Promise<boolean>((resolve) => {
    if (inFlight === 0) return resolve(true);
    const timer = setTimeout(() => resolve(false), config.drainTimeoutMs ?? 30_000);
    onIdle = () => {
      clearTimeout(timer);
      resolve(true);
    };
  });
  const elapsedS = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  progress?.stop();
  counting = false;
  if (!drained) for (let i = 0; i < inFlight; i++) errors.add('no answer before the drain timeout');
  await transport.destroy();

  const cpuMicros = cpu.user + cpu.system;
  return {
    config: {
      mode: config.mode,
      connections: config.connections,
      pipelining: config.pipelining,
      transport: config.transport,
      durationMs: config.durationMs,
      users: auth.length,
      productId: config.market.productId,
    },
    elapsedS,
    places,
    cancels,
    ok,
    rejected,
    errors,
    latency,
    cpu: { percentOfOneCore: cpuMicros / 10_000 / elapsedS, microsPerRequest: cpuMicros / Math.max(1, latency.count) },
    maxInFlight,
  };
}

const BAR = 24;

/** Four times a second: elapsed, answers/s over the last quarter second, p99 so far, errors. */
function startProgress(
  out: NodeJS.WritableStream & { isTTY?: boolean },
  start: number,
  durationMs: number,
  latency: LatencyHistogram,
  errors: Tally,
  rejected: Tally,
): { stop(): void } {
  let lastCount = 0;
  let lastAt = start;
  let ticks = 0;
  const line = (): string => {
    const now = performance.now();
    const rate = ((latency.count - lastCount) * 1000) / Math.max(1, now - lastAt);
    lastCount = latency.count;
    lastAt = now;
    const fraction = Math.min(1, (now - start) / durationMs);
    const filled = Math.round(fraction * BAR);
    return (
      `[${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ${((now - start) / 1000).toFixed(1)}s  ` +
      `${Math.round(rate).toLocaleString('en-US')} orders/s  p99 ${latency.percentileMs(99).toFixed(2)} ms  ` +
      `errors ${errors.total}  rejected ${rejected.total}`
    );
  };
  // On a terminal the bar redraws in place; in a log it prints one line a second instead.
  const timer = setInterval(() => {
    ticks += 1;
    if (out.isTTY) out.write(`\r${line()}\x1b[K`);
    else if (ticks % 4 === 0) out.write(`${line()}\n`);
  }, 250);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      if (out.isTTY) out.write(`\r${line()}\x1b[K\n`);
    },
  };
}
