import http from 'node:http';
import { Pool } from 'undici';
import { rawHttpTransport } from './raw-http';

export type TransportKind = 'raw' | 'undici' | 'http';

export interface Answer {
  status: number;
  /** Read only for non-2xx answers (their `code` tells a business rejection from an error). */
  body: string;
}

/** The load generator's HTTP side: keep-alive connections, as little work per request as possible. */
export interface Transport {
  send(method: 'GET' | 'POST' | 'DELETE', path: string, headers: Record<string, string>, body: string | undefined): Promise<Answer>;
  /** Drops every connection, and any request still waiting for its answer. */
  destroy(): Promise<void>;
}

export interface TransportOptions {
  origin: string;
  connections: number;
  /** Requests in flight per connection (raw and undici; node:http cannot pipeline). */
  pipelining: number;
}

export function createTransport(kind: TransportKind, options: TransportOptions): Transport {
  if (kind === 'raw') return rawHttpTransport(options);
  return kind === 'undici' ? undiciTransport(options) : nodeHttpTransport(options);
}

function undiciTransport({ origin, connections, pipelining }: TransportOptions): Transport {
  const pool = new Pool(origin, { connections, pipelining, keepAliveTimeout: 30_000 });
  return {
    async send(method, path, headers, body) {
      const response = await pool.request({ method, path, headers, body });
      if (response.statusCode < 300) {
        await response.body.dump();
        return { status: response.statusCode, body: '' };
      }
      return { status: response.statusCode, body: await response.body.text() };
    },
    destroy: () => pool.destroy(),
  };
}

function nodeHttpTransport({ origin, connections }: TransportOptions): Transport {
  const url = new URL(origin);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  return {
    send(method, path, headers, body) {
      return new Promise<Answer>((resolve, reject) => {
        const request = http.request({ agent, hostname: url.hostname, port: url.port, method, path, headers }, (response) => {
          const status = response.statusCode ?? 0;
          if (status < 300) {
            response.resume();
            response.once('end', () => resolve({ status, body: '' }));
            return;
          }
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.once('end', () => resolve({ status, body: text }));
        });
        request.once('error', reject);
        request.end(body);
      });
    },
    destroy: async () => agent.destroy(),
  };
}
