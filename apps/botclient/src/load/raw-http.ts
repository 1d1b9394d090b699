import { connect, type Socket } from 'node:net';
import type { Answer, Transport, TransportOptions } from './transport';

interface Pending {
  resolve(answer: Answer): void;
  reject(error: Error): void;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * The cheapest generator: HTTP/1.1 written and parsed by hand over keep-alive sockets, as
 * load tools such as autocannon do. Requests queued in one event-loop turn leave in one
 * write per connection, up to `pipelining` in flight each; answers are matched in order.
 * It understands what the exchange sends (Content-Length bodies); a chunked or
 * `Connection: close` answer fails its connection, and the requests on it become errors.
 */
export function rawHttpTransport({ origin, connections, pipelining }: TransportOptions): Transport {
  const url = new URL(origin);
  const host = url.host;
  const port = Number(url.port || 80);
  let waiting: { text: string; pending: Pending }[] = [];
  let head = 0;
  const pool = Array.from({ length: connections }, () => new Connection(url.hostname, port, pipelining, () => pump()));
  let scheduled = false;

  const pump = (): void => {
    scheduled = false;
    for (const connection of pool) {
      while (head < waiting.length && connection.hasRoom()) {
        const next = waiting[head++]!;
        connection.enqueue(next.text, next.pending);
      }
      connection.flush();
      if (head === waiting.length) break;
    }
    if (head > 1024 && head * 2 > waiting.length) {
      waiting = waiting.slice(head);
      head = 0;
    }
  };

  return {
    send(method, path, headers, body) {
      let text = `${method} ${path} HTTP/1.1\r\nhost: ${host}\r\n`;
      for (const name in headers) text += `${name}: ${headers[name]}\r\n`;
      text += body === undefined ? '\r\n' : `\r\n${body}`;
      return new Promise<Answer>((resolve, reject) => {
        waiting.push({ text, pending: { resolve, reject } });
        if (!scheduled) {
          scheduled = true;
          setImmediate(pump);
        }
      });
    },
    async destroy() {
      for (const connection of pool) connection.destroy(new Error('transport destroyed'));
      for (const { pending } of waiting.splice(head)) pending.reject(new Error('transport destroyed'));
    },
  };
}

class Connection {
  private socket: Socket | undefined;
  private readonly inFlight: Pending[] = [];
  private output = '';
  private input: Buffer = Buffer.alloc(0);
  private destroyed = false;

  constructor(
    private readonly hostname: string,
    private readonly port: number,
    private readonly pipelining: number,
    private readonly onRoom: () => void,
  ) {}

  hasRoom(): boolean {
    return !this.destroyed && this.inFlight.length < this.pipelining;
  }

  enqueue(text: string, pending: Pending): void {
    this.output += text;
    this.inFlight.push(pending);
  }

  flush(): void {
    if (this.output === '') return;
    this.socket ??= this.open();
    this.socket.write(this.output);
    this.output = '';
  }

  destroy(error: Error): void {
    this.destroyed = true;
    this.fail(error);
  }

  private open(): Socket {
    const socket = connect({ host: this.hostname, port: this.port, noDelay: true });
    // Events of a socket this connection has already dropped are ignored.
    socket.on('data', (chunk: Buffer) => this.socket === socket && this.read(chunk));
    socket.on('error', (error) => this.socket === socket && this.fail(error));
    socket.on('close', () => this.socket === socket && this.fail(new Error('connection closed by the server')));
    return socket;
  }

  /** Fails every request in flight and drops the socket; the next flush opens a new one. */
  private fail(error: Error): void {
    const socket = this.socket;
    this.socket = undefined;
    this.input = Buffer.alloc(0);
    this.output = '';
    socket?.destroy();
    for (const pending of this.inFlight.splice(0)) pending.reject(error);
    if (!this.destroyed) this.onRoom();
  }

  private read(chunk: Buffer): void {
    this.input = this.input.length === 0 ? chunk : Buffer.concat([this.input, chunk]);
    let answered = false;
    for (;;) {
      const headerEnd = this.input.indexOf(HEADER_END);
      if (headerEnd < 0) break;
      const head = this.input.toString('latin1', 0, headerEnd);
      const status = Number(head.slice(9, 12));
      const lower = head.toLowerCase();
      const lengthAt = lower.indexOf('\r\ncontent-length:');
      if (lengthAt < 0 || lower.includes('\r\nconnection: close') || !(status >= 100)) {
        return this.fail(new Error(`unsupported answer framing: ${head.split('\r\n')[0]}`));
      }
      const length = parseInt(lower.slice(lengthAt + 17, lower.indexOf('\r\n', lengthAt + 17)), 10);
      const bodyStart = headerEnd + 4;
      if (this.input.length < bodyStart + length) break;
      const body = status < 300 ? '' : this.input.toString('utf8', bodyStart, bodyStart + length);
      this.input = this.input.subarray(bodyStart + length);
      const pending = this.inFlight.shift();
      if (!pending) return this.fail(new Error('an answer arrived with no request in flight'));
      pending.resolve({ status, body });
      answered = true;
    }
    if (answered) this.onRoom();
  }
}
