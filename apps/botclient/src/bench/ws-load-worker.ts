import { parentPort, workerData } from 'node:worker_threads';
import WebSocket from 'ws';
import type { WsWorkerData, WsWorkerResult } from './ws-load';

/**
 * One thread of the WebSocket order-entry load: its sockets, each signed in by its upgrade
 * request's bearer token, keep `window` place_order requests outstanding (closed loop) or send
 * at `ratePerSocket` (open loop). Latency is timed from each send
 * to its answer, matched by request id. Requests a tick makes leave in one write per socket.
 */
const data = workerData as WsWorkerData;
const port = parentPort!;

interface Lane {
  socket: WebSocket;
  frames: readonly string[];
  next: number;
  outstanding: number;
  /** Send time per request id, modulo the ring's size. */
  sentAt: Float64Array;
  /** Requests to send at the end of this tick. */
  due: number;
  /** Open loop: requests owed since the run started, fractional. */
  owed: number;
  sent: number;
}

const RING = 1 << 16;
/** Open loop: the offered rate holds whatever the answers take, up to half the ring outstanding per socket. */
const OPEN_LOOP_MAX = RING / 2;
const lanes: Lane[] = [];
let running = false;
let measuring = false;
let measureFrom = 0;
let measureUntil = 0;
const latencies: number[] = [];
let answered = 0;
let refused = 0;
let firstRefusal: string | null = null;
let flushScheduled = false;

function frame(lane: Lane): string {
  const id = lane.next++;
  lane.sentAt[id % RING] = performance.now();
  lane.outstanding++;
  lane.sent++;
  // The order bodies are JSON already: the request is assembled around them, not re-serialized.
  return `{"type":"place_order","request_id":${id},"order":${lane.frames[id % lane.frames.length]}}`;
}

function flush(): void {
  flushScheduled = false;
  for (const lane of lanes) {
    if (lane.due === 0) continue;
    // ws writes each frame with its own write; corked, a tick's frames leave in one.
    const transport = (lane.socket as unknown as { _socket?: { cork(): void; uncork(): void } })._socket;
    transport?.cork();
    for (; lane.due > 0; lane.due--) lane.socket.send(frame(lane));
    transport?.uncork();
  }
}

function schedule(lane: Lane, count: number): void {
  lane.due += count;
  if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flush);
  }
}

function receive(lane: Lane, text: string): void {
  const answer = JSON.parse(text) as { type: string; request_id?: number; code?: string; message?: string };
  if (typeof answer.request_id !== 'number') return;
  lane.outstanding--;
  const now = performance.now();
  if (measuring && now >= measureFrom && now <= measureUntil) {
    latencies.push(now - lane.sentAt[answer.request_id % RING]!);
    answered++;
    if (answer.type !== 'order_response') {
      refused++;
      firstRefusal ??= `${answer.code}: ${answer.message}`;
    }
  }
  if (running && data.ratePerSocket === undefined) schedule(lane, 1);
}

async function connect(token: string, frames: readonly string[]): Promise<Lane> {
  const socket = new WebSocket(data.url, { headers: { authorization: `Bearer ${token}` }, perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => socket.once('open', () => resolve()).once('error', reject));
  const lane: Lane = { socket, frames, next: 1, outstanding: 0, sentAt: new Float64Array(RING), due: 0, owed: 0, sent: 0 };
  socket.on('message', (bytes) => receive(lane, String(bytes)));
  socket.on('error', (error) => port.postMessage({ kind: 'error', message: String(error) }));
  return lane;
}

const sleepUntil = (time: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, time - performance.now())));

async function run(startAt: number): Promise<WsWorkerResult> {
  const { durationS, warmupS, window, ratePerSocket } = data;
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())));
  const started = performance.now();
  measureFrom = started + warmupS * 1000;
  measureUntil = measureFrom + durationS * 1000;
  running = true;
  measuring = true;
  let pacer: NodeJS.Timeout | null = null;
  if (ratePerSocket === undefined) {
    for (const lane of lanes) schedule(lane, window);
  } else {
    // Open loop: every millisecond, what each socket owes since the start, unless `window` are already out.
    pacer = setInterval(() => {
      const elapsedS = (performance.now() - started) / 1000;
      for (const lane of lanes) {
        const owed = Math.floor(elapsedS * ratePerSocket) - lane.sent - lane.due;
        if (owed > 0) schedule(lane, Math.min(owed, OPEN_LOOP_MAX - lane.outstanding - lane.due));
      }
    }, 1);
  }
  await sleepUntil(measureFrom);
  const cpuFrom = process.threadCpuUsage();
  await sleepUntil(measureUntil);
  const cpu = process.threadCpuUsage(cpuFrom);
  running = false;
  if (pacer !== null) clearInterval(pacer);
  // The answers still due, so the server is idle before the next run.
  const drainUntil = performance.now() + 10_000;
  while (lanes.some((lane) => lane.outstanding > 0) && performance.now() < drainUntil) await new Promise((resolve) => setTimeout(resolve, 5));
  measuring = false;
  const samples = Float64Array.from(latencies);
  return { answered, refused, firstRefusal, seconds: durationS, latencies: samples, cpuUs: cpu.user + cpu.system };
}

port.on('message', (message: { kind: 'start'; at: number } | { kind: 'close' }) => {
  if (message.kind === 'start') {
    run(message.at).then(
      (result) => port.postMessage({ kind: 'result', result }, [result.latencies.buffer]),
      (error: unknown) => port.postMessage({ kind: 'error', message: String(error) }),
    );
  } else {
    for (const lane of lanes) lane.socket.close();
    port.close();
  }
});

Promise.all(data.sockets.map(({ token, frames }) => connect(token, frames))).then(
  (connected) => {
    lanes.push(...connected);
    port.postMessage({ kind: 'ready' });
  },
  (error: unknown) => port.postMessage({ kind: 'error', message: String(error) }),
);
