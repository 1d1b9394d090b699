import { connect, type Socket } from 'node:net';
import express from 'express';
import { listen, type RunningServer } from './server';

/** A raw connection from `localAddress` (any 127.x address is this machine's loopback). */
function rawClient(port: number, localAddress = '127.0.0.1'): Promise<{ socket: Socket; received: () => string; closed: Promise<number> }> {
  const socket = connect({ port, host: '127.0.0.1', localAddress });
  let text = '';
  socket.on('data', (chunk) => (text += chunk.toString()));
  socket.on('error', () => undefined);
  const opened = performance.now();
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(performance.now() - opened)));
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve({ socket, received: () => text, closed }));
    socket.once('error', reject);
  });
}

describe('listen: connection limits', () => {
  let running: RunningServer;
  const sockets: Socket[] = [];
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    await running.close();
  });

  const start = async (limits: Parameters<typeof listen>[1]['limits']): Promise<number> => {
    const app = express();
    app.get('/', (_req, res) => void res.send('ok'));
    // A handler waiting on a dependency that hangs; it answers late.
    app.get('/hangs', (_req, res) => void setTimeout(() => res.send('late'), 1500));
    running = await listen(app, { port: 0, limits });
    return running.port;
  };

  it('answers 408 and closes a connection that sends nothing, or its headers a byte at a time, past the header timeout', async () => {
    const port = await start({ headersTimeoutMs: 600 });
    const idle = await rawClient(port);
    const slow = await rawClient(port);
    sockets.push(idle.socket, slow.socket);
    slow.socket.write('GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    const drip = setInterval(() => slow.socket.write('a'), 100);
    const [idleMs, slowMs] = await Promise.all([idle.closed, slow.closed]);
    clearInterval(drip);
    for (const [client, ms] of [[idle, idleMs], [slow, slowMs]] as const) {
      expect(client.received()).toMatch(/^HTTP\/1\.1 408/);
      expect(ms).toBeGreaterThanOrEqual(550);
      expect(ms).toBeLessThan(600 + 1000 + 500); // the timeout, Node's check interval, slack
    }
  });

  it('closes connections from an address past its cap at once, and serves other addresses', async () => {
    const port = await start({ maxConnectionsPerIp: 3 });
    const held = await Promise.all([1, 2, 3].map(() => rawClient(port, '127.0.0.2')));
    sockets.push(...held.map((client) => client.socket));
    const refused = await rawClient(port, '127.0.0.2');
    sockets.push(refused.socket);
    expect(await refused.closed).toBeLessThan(1000);
    expect(refused.received()).toBe('');
    expect(await (await fetch(running.url)).text()).toBe('ok');
    // A closed connection frees its place.
    held[0]!.socket.destroy();
    await held[0]!.closed;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const again = await rawClient(port, '127.0.0.2');
    sockets.push(again.socket);
    again.socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(again.received()).toMatch(/^HTTP\/1\.1 200/);
  });

  it('answers 503 with Retry-After in place of a handler that has not answered in time, and ignores its late answer', async () => {
    await start({ responseTimeoutMs: 300 });
    const started = performance.now();
    const answer = await fetch(`${running.url}/hangs`);
    expect(performance.now() - started).toBeLessThan(1000);
    expect([answer.status, answer.headers.get('retry-after'), ((await answer.json()) as { code: string }).code]).toEqual([503, '1', 'HTTP.TIMEOUT']);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // the late answer must not throw
    expect(await (await fetch(running.url)).text()).toBe('ok');
  });

  it('tells a keep-alive client to close after its request limit, and refuses more on that connection', async () => {
    const port = await start({ maxRequestsPerSocket: 2 });
    const client = await rawClient(port);
    sockets.push(client.socket);
    client.socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(3));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const statuses = [...client.received().matchAll(/HTTP\/1\.1 (\d+)[^]*?Connection: (\S+)/gi)].map((match) => `${match[1]} ${match[2]!.toLowerCase()}`);
    expect(statuses).toEqual(['200 keep-alive', '200 close', '503 close']);
  });

  it('closes within the shutdown grace period while a request is still in flight, cutting it', async () => {
    const port = await start({ responseTimeoutMs: 20_000, shutdownGraceMs: 300 });
    const client = await rawClient(port);
    sockets.push(client.socket);
    client.socket.write('GET /hangs HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise((resolve) => setTimeout(resolve, 100));
    await running.close();
    // Cut before the handler's late answer (1.5 s).
    expect(await client.closed).toBeLessThan(1_500);
    expect(client.received()).toBe('');
    running = await listen(express(), { port: 0 });
  });

  it("writes helmet's headers on every answer, once, and a handler's own value of one in its place", async () => {
    const app = express();
    app.get('/', (_req, res) => void res.send('ok'));
    app.get('/framed', (_req, res) => void res.set('X-Frame-Options', 'DENY').send('ok'));
    app.get('/raw', (_req, res) => void res.writeHead(200, ['content-type', 'text/plain', 'content-security-policy', "default-src 'none'"]).end('ok'));
    running = await listen(app, { port: 0 });
    const client = await rawClient(running.port);
    sockets.push(client.socket);
    client.socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /framed HTTP/1.1\r\nHost: x\r\n\r\nGET /raw HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const answers = client.received().split(/(?=HTTP\/1\.1 )/);
    const values = (answer: string | undefined, name: string): string[] => [...(answer ?? '').matchAll(new RegExp(`^${name}: (.*)\r$`, 'gim'))].map((match) => match[1]!);
    expect(answers).toHaveLength(3);
    expect(values(answers[0], 'x-frame-options')).toEqual(['SAMEORIGIN']);
    expect(values(answers[0], 'content-security-policy')).toEqual([expect.stringMatching(/^default-src 'self'/)]);
    expect(values(answers[0], 'x-content-type-options')).toEqual(['nosniff']);
    expect(values(answers[1], 'x-frame-options')).toEqual(['DENY']);
    expect(values(answers[2], 'content-security-policy')).toEqual(["default-src 'none'"]);
    expect(values(answers[2], 'strict-transport-security')).toEqual(['max-age=31536000; includeSubDomains']);
  });

  it("answers the late handler's 503 with the security headers too", async () => {
    await start({ responseTimeoutMs: 300 });
    const answer = await fetch(`${running.url}/hangs`);
    expect([answer.status, answer.headers.get('x-content-type-options'), answer.headers.get('connection')]).toEqual([503, 'nosniff', 'close']);
    await answer.text();
  });
});
