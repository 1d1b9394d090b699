import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Application } from 'express';
import helmet from 'helmet';
import type { WebSocketServer } from 'ws';

/**
 * What one client may hold of the server, applied at the socket level so every lane (express,
 * the fast lane, WebSocket upgrades) gets it.
 */
export interface ConnectionLimits {
  /** A request's headers must arrive within this, counted from the connection or the previous request (slowloris, idle sockets): 408. Default 10 s. */
  headersTimeoutMs: number;
  /** A whole request, body included, within this: 408. Default 30 s. */
  requestTimeoutMs: number;
  /**
   * A handler that has not answered within this gets a 503 with Retry-After in its place (or,
   * if it had begun answering, its connection closed): no request hangs on a dependency that
   * hangs. Default 30 s.
   */
  responseTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. Default 65 s, above the 60 s of common load balancers, so they close first. */
  keepAliveTimeoutMs: number;
  /** Requests served on one keep-alive connection before it is closed. Default 10,000. */
  maxRequestsPerSocket: number;
  /**
   * Connections open at once from one IP address (HTTP and WebSocket); more are closed at
   * accept. Default 256. 0: no cap, for a server behind a proxy, where every connection
   * comes from the proxy's address (cap per client at the proxy instead).
   */
  maxConnectionsPerIp: number;
  /** On close, requests still in flight this long after it are cut (their connections destroyed). Default 5 s. */
  shutdownGraceMs: number;
}

export const DEFAULT_CONNECTION_LIMITS: Readonly<ConnectionLimits> = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  responseTimeoutMs: 30_000,
  keepAliveTimeoutMs: 65_000,
  maxRequestsPerSocket: 10_000,
  maxConnectionsPerIp: 256,
  shutdownGraceMs: 5_000,
};

/**
 * helmet's standard headers on every answer, the page's and the API's, whichever lane serves
 * it: a same-origin content security policy (the page loads only its own scripts and talks
 * only to its own API and WebSocket), no framing, no MIME sniffing, no referrer to other
 * sites, HSTS (browsers heed it over TLS only). No upgrade-insecure-requests: the embedded
 * exchange is served over plain HTTP on loopback, where it would break the page. Cost: 2.8 us
 * of CPU per answer (100,000 responses on Node 24, against 0.2 us without), a few per cent of a
 * fast-lane request.
 */
const securityHeaders = helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } });

/** How often Node looks for connections past their header or request timeout (its default, 30 s, lets a 10 s timeout run to 40 s). */
const TIMEOUT_CHECK_MS = 1000;
const CLOSE_SWEEP_MS = 50;

export interface RunningServer {
  server: Server;
  port: number;
  url: string;
  /** Stops accepting, ends keep-alive sockets as they go idle, and waits for in-flight requests up to the shutdown grace period. */
  close(): Promise<void>;
}

/**
 * Serves `app` and routes WebSocket upgrades by path to their servers (created with
 * `noServer: true`); an upgrade to any other path is refused.
 */
export async function listen(
  app: Application,
  options: { port: number; host?: string; webSockets?: Record<string, WebSocketServer>; limits?: Partial<ConnectionLimits> },
): Promise<RunningServer> {
  const limits = { ...DEFAULT_CONNECTION_LIMITS, ...options.limits };
  let closing = false;
  const server = createServer(
    { headersTimeout: limits.headersTimeoutMs, requestTimeout: limits.requestTimeoutMs, connectionsCheckingInterval: TIMEOUT_CHECK_MS },
    (req, res) => {
      // Closing: a keep-alive client must not send its next request on this connection.
      if (closing) res.setHeader('connection', 'close');
      answerInTime(res, limits.responseTimeoutMs);
      securityHeaders(req, res, () => app(req, res));
    },
  );
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxRequestsPerSocket = limits.maxRequestsPerSocket;
  if (limits.maxConnectionsPerIp > 0) capConnectionsPerIp(server, limits.maxConnectionsPerIp);
  const webSockets = options.webSockets ?? {};
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const wss = webSockets[path];
    if (!wss) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  return {
    server,
    port,
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
    close: async () => {
      for (const wss of Object.values(webSockets)) {
        for (const client of wss.clients) client.terminate();
        wss.close();
      }
      closing = true;
      // Connections busy when close begins end as soon as they go idle (checked every 50 ms);
      // a request still running after the grace period is cut, so a stop never hangs on one.
      const idleSweep = setInterval(() => server.closeIdleConnections(), CLOSE_SWEEP_MS);
      const grace = setTimeout(() => server.closeAllConnections(), limits.shutdownGraceMs);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      clearInterval(idleSweep);
      clearTimeout(grace);
    },
  };
}

/** Answers 503 in the handler's place once `ms` have passed without its answer (see ConnectionLimits.responseTimeoutMs). */
function answerInTime(res: ServerResponse, ms: number): void {
  const timer = setTimeout(() => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const body = JSON.stringify({ message: `no answer within ${ms / 1000} s; retry later`, code: 'HTTP.TIMEOUT' });
    res.writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'retry-after': '1', connection: 'close' }).end(body);
    // What the handler writes later goes nowhere.
    res.write = () => true;
    res.end = () => res;
    res.writeHead = () => res;
    res.setHeader = () => res;
  }, ms);
  res.once('close', () => clearTimeout(timer));
}

/** Closes a new connection at once when its address already holds `cap` open ones. */
function capConnectionsPerIp(server: Server, cap: number): void {
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const count = open.get(address) ?? 0;
    if (count >= cap) {
      socket.destroy();
      return;
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const left = open.get(address)! - 1;
      if (left === 0) open.delete(address);
      else open.set(address, left);
    });
  });
}
