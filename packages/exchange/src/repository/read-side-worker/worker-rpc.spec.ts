import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { DomainError } from '@sd/domain/errors';
import { RpcClient } from './worker-rpc';

// The worker loads the built worker-rpc.js (a thread runs JavaScript only): build first.
const rpcScript = join(__dirname, '..', '..', '..', 'dist', 'repository', 'read-side-worker', 'worker-rpc.js');

interface TestApi {
  echo(value: unknown): Promise<unknown>;
  refuse(): Promise<void>;
  fail(): Promise<void>;
  answerFunction(): Promise<unknown>;
  hang(): Promise<void>;
  exit(): Promise<void>;
  crash(): Promise<void>;
}

const workerCode = `
const { parentPort } = require('node:worker_threads');
const { serveRpc } = require(${JSON.stringify(rpcScript)});
const { DomainError } = require(${JSON.stringify(require.resolve('@sd/domain/errors'))});
serveRpc(parentPort, {
  echo: async (value) => value,
  refuse: async () => { throw new DomainError('TEST.REFUSED', 'conflict', 'refused on purpose', { details: { retryAfterSeconds: 3 } }); },
  fail: async () => { throw new TypeError('plain failure'); },
  answerFunction: async () => () => 1,
  hang: () => new Promise(() => undefined),
  exit: async () => process.exit(7),
  crash: () => { setImmediate(() => { throw new Error('boom'); }); return new Promise(() => undefined); },
});`;

describe('worker rpc', () => {
  let worker: Worker;
  let rpc: RpcClient<TestApi>;

  beforeEach(() => {
    worker = new Worker(workerCode, { eval: true });
    rpc = new RpcClient(worker, 'test worker');
  });
  afterEach(() => worker.terminate());

  it('answers calls, concurrent ones each with its own answer', async () => {
    const values = [1, 'two', { three: ['3.000000'] }, null];
    expect(await Promise.all(values.map((value) => rpc.call('echo', value)))).toEqual(values);
  });

  it('brings a DomainError back as a DomainError with its code, kind, message and details', async () => {
    const error = await rpc.call('refuse').catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'TEST.REFUSED', kind: 'conflict', message: 'refused on purpose', details: { retryAfterSeconds: 3 } });
  });

  it('brings any other error back as an Error with its message', async () => {
    const error = await rpc.call('fail').catch((thrown: unknown) => thrown);
    expect(error).not.toBeInstanceOf(DomainError);
    expect(error).toEqual(new Error('plain failure'));
  });

  it('rejects a call whose arguments or answer cannot cross threads, and goes on', async () => {
    await expect(rpc.call('echo', () => 1)).rejects.toThrow(/the arguments of echo cannot cross threads/);
    await expect(rpc.call('answerFunction')).rejects.toThrow(/the answer to answerFunction cannot cross threads/);
    expect(await rpc.call('echo', 'still here')).toBe('still here');
  });

  it('rejects pending and later calls when the worker exits', async () => {
    const pending = rpc.call('hang');
    await expect(rpc.call('exit')).rejects.toThrow('test worker exited with code 7');
    await expect(pending).rejects.toThrow('test worker exited with code 7');
    await expect(rpc.call('echo', 1)).rejects.toThrow('test worker exited with code 7');
  });

  it('rejects pending calls with the error that killed the worker', async () => {
    const pending = rpc.call('hang');
    await expect(rpc.call('crash')).rejects.toThrow('test worker failed: boom');
    await expect(pending).rejects.toThrow('test worker failed: boom');
  });

  it('finishes after the pending calls with a last one, then refuses calls', async () => {
    const pending = rpc.call('echo', 'before');
    expect(await rpc.finish('echo', 'last')).toBe('last');
    expect(await pending).toBe('before');
    await expect(rpc.call('echo', 'after')).rejects.toThrow('test worker is closed');
  });
});
