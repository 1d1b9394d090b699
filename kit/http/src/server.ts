import { createServer, ServerResponse, validateHeaderName, validateHeaderValue, type IncomingMessage, type OutgoingHttpHeaders, type Server } from 'node:http';
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
 * exchange is served over plain HTTP on loopback, where it would break the page.
 */
const securityHeaders = helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } });

/** The headers helmet sets, taken from it once: they depend on nothing in the request. */
function helmetHeaders(): (readonly [name: string, value: string])[] {
  const headers: (readonly [string, string])[] = [];
  const recorder = { setHeader: (name: string, value: unknown) => void headers.push([name, String(value)]), removeHeader: () => undefined };
  securityHeaders({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error !== undefined) throw error;
  });
  for (const [name, value] of headers) {
    validateHeaderName(name);
    validateHeaderValue(name, value);
  }
  return headers;
}

const SECURITY_HEADERS = helmetHeaders();
const SECURITY_NAMES = new Set(SECURITY_HEADERS.map(([name]) => name.toLowerCase()));
const headerLines = (headers: readonly (readonly [string, string])[]): string => headers.map(([name, value]) => `${name}: ${value}\r\n`).join('');
const SECURITY_BLOCK = headerLines(SECURITY_HEADERS);

type StoreHeader = (this: ServerResponse, firstLine: string, headers: OutgoingHttpHeaders | readonly unknown[] | null) => void;
const nodeStoreHeader = (ServerResponse.prototype as unknown as { _storeHeader: StoreHeader })._storeHeader;

/**
 * Writes helmet's headers into an answer's header block as Node writes it, in front of the
 * handler's own (as helmet's middleware did, setting them first); a handler that sets one of
 * them itself replaces it. Not helmet per request: its twelve middlewares each called
 * setHeader, which validates the header and inserts it into Node's per-response header map (a
 * dictionary object, enumerated again to write); setHeader alone was 9 % of a cached book
 * answer's CPU profile. With the deadline sweep below and the fast lane's single writeHead, a
 * book answer went from 56 to 28 us of CPU (bench:http, Node 24). `_storeHeader` is where
 * Node's response turns its headers into text, for `writeHead` and an implicit head alike; set
 * per response (express replaces a response's prototype with its own).
 */
function storeWithSecurityHeaders(this: ServerResponse, firstLine: string, headers: OutgoingHttpHeaders | readonly unknown[] | null): void {
  nodeStoreHeader.call(this, firstLine + securityBlockBeside(headers), headers);
}

function securityBlockBeside(headers: OutgoingHttpHeaders | readonly unknown[] | null): string {
  const own = new Set<string>();
  if (Array.isArray(headers)) {
    // writeHead's flat [name, value, ...] or [[name, value], ...]
    const nested = Array.isArray(headers[0]);
    for (let i = 0; i < headers.length; i += nested ? 1 : 2) {
      const name = nested ? (headers[i] as unknown[])[0] : headers[i];
      if (typeof name === 'string' && SECURITY_NAMES.has(name.toLowerCase())) own.add(name.toLowerCase());
    }
  } else if (headers) {
    for (const key in headers) if (SECURITY_NAMES.has(key.toLowerCase())) own.add(key.toLowerCase());
  }
  return own.size === 0 ? SECURITY_BLOCK : headerLines(SECURITY_HEADERS.filter(([name]) => !own.has(name.toLowerCase())));
}

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
  const server = createServer({ headersTimeout: limits.headersTimeoutMs, requestTimeout: limits.requestTimeoutMs, connectionsCheckingInterval: TIMEOUT_CHECK_MS });
  const deadlines = responseDeadlines(server, limits.responseTimeoutMs);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    // Closing: a keep-alive client must not send its next request on this connection.
    if (closing) res.setHeader('connection', 'close');
    (res as unknown as { _storeHeader: StoreHeader })._storeHeader = storeWithSecurityHeaders;
    deadlines.track(res);
    app(req, res);
  });
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
      deadlines.stop();
    },
  };
}

const ANSWER_BY = Symbol('answerBy');
/** Where a lane that writes its headers with its answer leaves the request id, for an answer written in its handler's place. */
export const REQUEST_ID = Symbol('requestId');
type TrackedResponse = ServerResponse & { [ANSWER_BY]?: number; [REQUEST_ID]?: string };

/**
 * Answers 503 in a handler's place once `ms` have passed without its answer (see
 * ConnectionLimits.responseTimeoutMs), from one timer that looks at each connection's current
 * response every `ms / 4` (at most every second): a request's deadline is a number on its
 * response, not a timer and a close listener of its own (setTimeout, clearTimeout and the
 * once-listener were about 2 % of a fast-lane answer's CPU profile). An answer is cut between
 * `ms` and `ms` plus the sweep interval; a pipelined request waiting behind another is checked
 * once its response has the connection.
 */
function responseDeadlines(server: Server, ms: number): { track(res: ServerResponse): void; stop(): void } {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const sweep = setInterval(
    () => {
      const now = performance.now();
      for (const socket of sockets) {
        // Node's own pointer from a connection to the response that writes on it now.
        const res = (socket as Socket & { _httpMessage?: unknown })._httpMessage;
        if (!(res instanceof ServerResponse)) continue;
        const by = (res as TrackedResponse)[ANSWER_BY];
        if (by === undefined || now < by || res.writableFinished) continue;
        (res as TrackedResponse)[ANSWER_BY] = undefined;
        answerInPlace(res, ms);
      }
    },
    Math.min(1000, Math.max(10, Math.floor(ms / 4))),
  );
  sweep.unref();
  return {
    track: (res) => void ((res as TrackedResponse)[ANSWER_BY] = performance.now() + ms),
    stop: () => clearInterval(sweep),
  };
}

function answerInPlace(res: ServerResponse, ms: number): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ message: `no answer within ${ms / 1000} s; retry later`, code: 'HTTP.TIMEOUT' });
  const requestId = (res as TrackedResponse)[REQUEST_ID];
  if (requestId !== undefined) res.setHeader('x-request-id', requestId);
  res.writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'retry-after': '1', connection: 'close' }).end(body);
  // What the handler writes later goes nowhere.
  res.write = () => true;
  res.end = () => res;
  res.writeHead = () => res;
  res.setHeader = () => res;
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
