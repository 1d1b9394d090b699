import type { MessagePort, Worker } from 'node:worker_threads';
import { DomainError, isDomainError, type ErrorKind } from '@sd/domain/errors';

/** What a worker answers: methods taking and giving structured-clone safe data. */
export type RpcMethods<Api> = { [M in keyof Api]: (...args: never[]) => Promise<unknown> };

/** An error as plain data: a DomainError keeps its code, kind and details across the thread. */
interface WireError {
  message: string;
  domain?: { code: string; kind: ErrorKind; details: Record<string, unknown> | undefined };
}

interface RpcCall {
  id: number;
  method: string;
  args: unknown[];
}

type WorkerMessage = { kind: 'answer'; id: number; value: unknown } | { kind: 'error'; id: number; error: WireError };

/**
 * Worker side: answers each call on `port` with its handler's result or error. `handlers` may
 * be a promise (a database still opening): calls wait for it, and if it rejects every call
 * answers that error.
 */
export function serveRpc<Api extends RpcMethods<Api>>(port: MessagePort, handlers: Api | Promise<Api>): void {
  const ready = Promise.resolve(handlers);
  ready.catch(() => undefined); // answered to each call, not an unhandled rejection
  const post = (message: WorkerMessage): void => port.postMessage(message);

  const answer = async ({ id, method, args }: RpcCall): Promise<void> => {
    try {
      const api = await ready;
      const handler: unknown = Object.hasOwn(api, method) ? api[method as keyof Api] : undefined;
      if (typeof handler !== 'function') throw new Error(`unknown method ${method}`);
      const value: unknown = await Reflect.apply(handler, api, args);
      try {
        post({ kind: 'answer', id, value });
      } catch (error) {
        throw new Error(`the answer to ${method} cannot cross threads: ${messageOf(error)}`);
      }
    } catch (error) {
      try {
        post({ kind: 'error', id, error: toWire(error) });
      } catch {
        // The details did not clone: the message alone still settles the call.
        post({ kind: 'error', id, error: { message: messageOf(error) } });
      }
    }
  };
  port.on('message', (call: RpcCall) => void answer(call));
}

interface PendingCall {
  answer: Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/**
 * Main-thread side of `serveRpc`. The worker keeps the process alive only while a call is
 * pending, so an idle handle never holds up an exit but an answer (a final close) is
 * always waited for. If the worker fails or exits, pending calls reject with that failure
 * and later calls reject at once.
 */
export class RpcClient<Api extends RpcMethods<Api>> {
  private nextId = 1;
  private readonly pending = new Map<number, PendingCall>();
  private failure: Error | undefined;
  private closed = false;

  constructor(
    private readonly worker: Worker,
    /** Names the worker in errors, e.g. `read-side worker`. */
    private readonly name: string,
  ) {
    worker.unref();
    worker.on('message', (message: WorkerMessage) => {
      const call = this.settle(message.id);
      if (message.kind === 'answer') call?.resolve(message.value);
      else call?.reject(fromWire(message.error));
    });
    worker.on('error', (error: unknown) => this.fail(new Error(`${name} failed: ${messageOf(error)}`, { cause: error })));
    worker.on('exit', (code) => this.fail(new Error(`${name} exited with code ${code}`)));
  }

  call<M extends keyof Api & string>(method: M, ...args: Parameters<Api[M]>): Promise<Awaited<ReturnType<Api[M]>>> {
    if (this.closed) return Promise.reject(new Error(`${this.name} is closed`));
    return this.send(method, args);
  }

  /**
   * Graceful stop: later calls reject at once, the pending ones get their answers, then
   * `method` is the last call, and the worker is terminated whatever it answers.
   */
  async finish<M extends keyof Api & string>(method: M, ...args: Parameters<Api[M]>): Promise<Awaited<ReturnType<Api[M]>>> {
    this.closed = true;
    try {
      await Promise.allSettled([...this.pending.values()].map((call) => call.answer));
      return await this.send(method, args);
    } finally {
      await this.worker.terminate();
    }
  }

  /** Stops the worker at once, as a crash would: pending and later calls reject with its exit. */
  async terminate(): Promise<void> {
    await this.worker.terminate();
  }

  private send<M extends keyof Api & string>(method: M, args: unknown[]): Promise<Awaited<ReturnType<Api[M]>>> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const id = this.nextId++;
    const message: RpcCall = { id, method, args };
    try {
      this.worker.postMessage(message);
    } catch (error) {
      return Promise.reject(new Error(`the arguments of ${method} cannot cross threads: ${messageOf(error)}`));
    }
    const call = pendingCall();
    if (this.pending.size === 0) this.worker.ref();
    this.pending.set(id, call);
    return call.answer as Promise<Awaited<ReturnType<Api[M]>>>;
  }

  private settle(id: number): PendingCall | undefined {
    const call = this.pending.get(id);
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker.unref();
    return call;
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const call of this.pending.values()) call.reject(this.failure);
    this.pending.clear();
  }
}

function pendingCall(): PendingCall {
  let resolve!: PendingCall['resolve'];
  let reject!: PendingCall['reject'];
  const answer = new Promise<unknown>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { answer, resolve, reject };
}

function toWire(error: unknown): WireError {
  if (isDomainError(error)) return { message: error.message, domain: { code: error.code, kind: error.kind, details: error.details } };
  return { message: messageOf(error) };
}

function fromWire({ message, domain }: WireError): Error {
  if (domain === undefined) return new Error(message);
  return new DomainError(domain.code, domain.kind, message, { details: domain.details });
}

/** Duck-typed: an error the worker thread rethrows on this one may come from another realm. */
function messageOf(error: unknown): string {
  const message: unknown = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? message : String(error);
}
