import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { MemoryCache } from '@sd/cache/memory/memory-cache';
import type { RunningServer } from '@sd/http/server';
import { createAuthFixture, type AuthFixture } from '../../testing/auth-fixture';
import { serveAuthService } from '../../testing/auth-service';
import { RemoteAuthenticator } from './remote-authenticator';

describe('RemoteAuthenticator', () => {
  let fx: AuthFixture;
  let service: RunningServer;
  let accessToken: string;
  let requests: number;

  beforeEach(async () => {
    fx = await createAuthFixture();
    service = await serveAuthService(fx.authenticator);
    service.server.prependListener('request', () => requests++);
    requests = 0;
    await fx.accounts.signUp({ email: 'fay@example.com', password: 'Password1' });
    accessToken = (await fx.accounts.logIn({ email: 'fay@example.com', password: 'Password1' })).accessToken;
  });
  afterEach(async () => {
    await service.close();
    await fx.close();
  });

  const remote = (url: string, options: { timeoutMs?: number; cacheTtlMs?: number } = {}) =>
    new RemoteAuthenticator({ url, timeoutMs: options.timeoutMs ?? 2_000, cacheTtlMs: options.cacheTtlMs ?? 5_000 }, new MemoryCache({ now: fx.clock.now }));
  const refusal = (promise: Promise<unknown>) => promise.then(() => 'accepted', (error: { code?: string; kind?: string }) => ({ code: error.code, kind: error.kind }));

  it('asks once per token within the cache window, and once for concurrent checks', async () => {
    const authenticator = remote(service.url);
    await Promise.all([1, 2, 3].map(() => authenticator.authenticateToken(accessToken)));
    await authenticator.authenticateToken(accessToken);
    expect(requests).toBe(1);
    fx.clock.advance(5_000);
    await authenticator.authenticateToken(accessToken);
    expect(requests).toBe(2);
    await remote(service.url, { cacheTtlMs: 0 }).authenticateToken(accessToken);
    await remote(service.url, { cacheTtlMs: 0 }).authenticateToken(accessToken);
    expect(requests).toBe(4);
  });

  it('answers AUTH.UNAVAILABLE (503) when the service is down', async () => {
    const authenticator = remote(service.url);
    await service.close();
    expect(await refusal(authenticator.authenticateToken(accessToken))).toEqual({ code: 'AUTH.UNAVAILABLE', kind: 'unavailable' });
    expect(await refusal(authenticator.isStillValid({ method: 'session', userId: 'u', sessionId: 's', permissions: [] }))).toEqual({ code: 'AUTH.UNAVAILABLE', kind: 'unavailable' });
  });

  it('gives up after its timeout when the service does not answer, and on a 5xx', async () => {
    const sockets = new Set<Socket>();
    const silent: Server = createServer(() => undefined).on('connection', (socket) => sockets.add(socket));
    const failing: Server = createServer((_req, res) => res.writeHead(502).end('bad gateway'));
    for (const server of [silent, failing]) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect(await refusal(remote(url(silent), { timeoutMs: 200 }).authenticateToken(accessToken))).toEqual({ code: 'AUTH.UNAVAILABLE', kind: 'unavailable' });
      expect(await refusal(remote(url(failing)).authenticateToken(accessToken))).toEqual({ code: 'AUTH.UNAVAILABLE', kind: 'unavailable' });
    } finally {
      for (const socket of sockets) socket.destroy();
      await Promise.all([silent, failing].map((server) => new Promise((resolve) => server.close(resolve))));
    }
  });
});
