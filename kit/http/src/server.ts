import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Application } from 'express';
import type { WebSocketServer } from 'ws';

export interface RunningServer {
  server: Server;
  port: number;
  url: string;
  /** Stops accepting, ends idle keep-alive sockets and waits for in-flight requests. */
  close(): Promise<void>;
}

/**
 * Serves `app` and routes WebSocket upgrades by path to their servers (created with
 * `noServer: true`); an upgrade to any other path is refused.
 */
export async function listen(
  app: Application,
  options: { port: number; host?: string; webSockets?: Record<string, WebSocketServer> },
): Promise<RunningServer> {
  const server = createServer(app);
  server.keepAliveTimeout = 65_000;
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
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
    },
  };
}
