import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** The built app, as `scripts/start` runs it. */
export const MAIN_JS = resolve(__dirname, '../../dist/main.js');

/** The exchange running as its own OS process (`node dist/main.js`), so a test can SIGKILL it. */
export class ExchangeProcess {
  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
    /** Milliseconds from spawn to the first healthy answer. */
    readonly startMs: number,
    private readonly output: string[],
  ) {}

  /** Starts on a port the OS picks (read back from the start-up log line, so no other process can take it first). */
  static async start(env: Record<string, string>, timeoutMs = 60_000): Promise<ExchangeProcess> {
    if (!existsSync(MAIN_JS)) throw new Error(`${MAIN_JS} is missing: build the app first (pnpm turbo run build --filter=@sd/app-exchange)`);
    const started = performance.now();
    const child = spawn(process.execPath, [MAIN_JS], {
      env: { ...process.env, EXCHANGE_MODE: 'embedded', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    let url: string | null = null;
    const keep = (chunk: Buffer): void => {
      const text = chunk.toString();
      url ??= /"url":"(http:\/\/[^"]+)"/.exec(text)?.[1] ?? null;
      output.push(text);
      if (output.length > 50) output.shift();
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`exchange exited (${child.exitCode ?? child.signalCode}) before it was healthy:\n${output.join('')}`);
      if (url !== null && (await fetch(`${url}/api/health`).catch(() => null))?.ok) break;
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`exchange not healthy within ${timeoutMs} ms:\n${output.join('')}`);
      }
      await new Promise((done) => setTimeout(done, 5));
    }
    return new ExchangeProcess(child, url, performance.now() - started, output);
  }

  /** Kills without warning (no shutdown hook runs) and waits until the process is gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((done) => this.child.once('exit', done));
    this.child.kill(signal);
    await exited;
  }

  /** The last lines the process wrote, for a failure message. */
  recentOutput(): string {
    return this.output.join('');
  }
}
