import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ExchangeClient, type ReplayJson, type SandboxJson } from '../client';
import { followReplay } from './follow-replay';
import { lineProgress } from './replay-progress';

const replay = (state: ReplayJson['state'], bytesRead: number, extra: Partial<ReplayJson> = {}): ReplayJson => ({
  product_id: 'BTC-USDT',
  file: 'samples/tape.csv',
  format: 'binance-aggtrades',
  state,
  speed: '600',
  trades_replayed: bytesRead / 10,
  trades_snapped: 0,
  bytes_read: bytesRead,
  bytes_total: 1000,
  tape_time: bytesRead === 0 ? null : '2023-06-15T12:00:00.000Z',
  error: null,
  ...extra,
});

/** A loopback stand-in for the exchange's sandbox routes: answers `statuses` in turn (the last one again), records the starts. */
async function stubSandbox(statuses: (SandboxJson | 404)[]): Promise<{ url: string; starts: IncomingMessage['headers'][]; close(): Promise<void> }> {
  const starts: IncomingMessage['headers'][] = [];
  let next = 0;
  const server: Server = createServer((request, response) => {
    const answer = (status: number, body: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (request.method === 'GET' && request.url === '/api/sandbox') {
      const status = statuses[Math.min(next++, statuses.length - 1)]!;
      return status === 404 ? answer(404, { message: 'Not Found' }) : answer(200, status);
    }
    if (request.method === 'POST' && request.url === '/api/sandbox/replay/start') {
      starts.push(request.headers);
      return answer(200, {});
    }
    answer(404, { message: 'Not Found' });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, starts, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const sandbox = (replayStatus: ReplayJson | null): SandboxJson => ({ demo_market: 'off', clock: '2023-06-15T12:00:00.000Z', replay: replayStatus });

describe('followReplay against a stub sandbox', () => {
  let stub: Awaited<ReturnType<typeof stubSandbox>> | undefined;
  let client: ExchangeClient | undefined;
  const connect = async (statuses: (SandboxJson | 404)[]) => {
    stub = await stubSandbox(statuses);
    client = new ExchangeClient(stub.url);
    return client;
  };
  afterEach(async () => {
    await client?.close();
    await stub?.close();
  });
  const auth = { token: 'token-of-the-backtest-user' };
  const options = { pollMs: 1, signal: new AbortController().signal };

  it('starts a waiting replay once, signed in, and follows it to done', async () => {
    const seen: ReplayJson[] = [];
    const statuses = [sandbox(replay('waiting', 0)), sandbox(replay('running', 300)), sandbox(replay('running', 700)), sandbox(replay('done', 1000))];
    const last = await followReplay(await connect(statuses), auth, options, async (status) => void seen.push(status));
    expect(stub!.starts).toHaveLength(1);
    expect(stub!.starts[0]!.authorization).toBe('Bearer token-of-the-backtest-user');
    expect(seen.map((status) => [status.state, status.bytes_read])).toEqual([['running', 300], ['running', 700], ['done', 1000]]);
    expect(last.state).toBe('done');
  });

  it('joins a replay already running without starting it again', async () => {
    await followReplay(await connect([sandbox(replay('running', 500)), sandbox(replay('done', 1000))]), auth, options, async () => undefined);
    expect(stub!.starts).toHaveLength(0);
  });

  it('fails with the replay error, and refuses a replay done before', async () => {
    const failed = [sandbox(replay('waiting', 0)), sandbox(replay('failed', 10, { error: 'tape.csv:7: goes back in time' }))];
    await expect(followReplay(await connect(failed), auth, options, async () => undefined)).rejects.toThrow('the replay of samples/tape.csv failed: tape.csv:7: goes back in time');
    await client!.close();
    await stub!.close();
    await expect(followReplay(await connect([sandbox(replay('done', 1000))]), auth, options, async () => undefined)).rejects.toThrow(/already done: start the exchange again with a fresh DATA_DIR/);
  });

  it('says so when the exchange runs no replay or has no sandbox', async () => {
    await expect(followReplay(await connect([sandbox(null)]), auth, options, async () => undefined)).rejects.toThrow(/runs no replay: start it with REPLAY_FILE=<tape> REPLAY_START=wait/);
    await client!.close();
    await stub!.close();
    await expect(followReplay(await connect([404]), auth, options, async () => undefined)).rejects.toThrow(/has no sandbox \(GET \/api\/sandbox answers 404\)/);
  });
});

describe('lineProgress', () => {
  it('writes a line when the state changes and then every period', () => {
    const lines: string[] = [];
    let now = 0;
    const progress = lineProgress({ write: (line: string) => lines.push(line) > 0 }, 5_000, () => now);
    progress.update(replay('running', 100), 0);
    now = 4_000;
    progress.update(replay('running', 400), 1);
    now = 5_500;
    progress.update(replay('running', 550), 2);
    now = 5_600;
    progress.update(replay('done', 1000), 3);
    expect(lines).toEqual([
      'replay running 10% (100 of 1000 bytes), tape 2023-06-15T12:00:00.000Z, 10 trades replayed, 0 fills\n',
      'replay running 55% (550 of 1000 bytes), tape 2023-06-15T12:00:00.000Z, 55 trades replayed, 2 fills\n',
      'replay done 100% (1000 of 1000 bytes), tape 2023-06-15T12:00:00.000Z, 100 trades replayed, 3 fills\n',
    ]);
  });
});
