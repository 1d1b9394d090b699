import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** The built app, as `scripts/start` runs it. */
export const MAIN_JS = resolve(__dirname, '../../dist/main.js');

/** The last chunks a process wrote, kept for failure messages. */
export class RecentOutput {
  private readonly chunks: string[] = [];

  constructor(private readonly keep = 50) {}

  add(chunk: string): void {
    this.chunks.push(chunk);
    if (this.chunks.length > this.keep) this.chunks.shift();
  }

  toString(): string {
    return this.chunks.join('');
  }
}

/**
 * Waits until the exchange that `child` runs (directly, or under a script) has logged the URL it
 * listens on and answers `/api/health` there; throws with its recent output if it exits first
 * or takes longer than `timeoutMs`. The URL is read from the start-up log line, so a port the
 * OS picked (PORT=0) cannot be taken by another process first.
 */
export async function untilHealthy(child: ChildProcess, output: RecentOutput, timeoutMs: number): Promise<string> {
  let url: string | null = null;
  const read = (chunk: Buffer): void => {
    const text = chunk.toString();
    url ??= /"url":"(http:\/\/[^"]+)"/.exec(text)?.[1] ?? null;
    output.add(text);
  };
  child.stdout!.on('data', read);
  child.stderr!.on('data', read);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`exchange exited (${child.exitCode ?? child.signalCode}) before it was healthy:\n${output}`);
    if (url !== null && (await fetch(`${url}/api/health`).catch(() => null))?.ok) return url;
    if (Date.now() > deadline) throw new Error(`exchange not healthy within ${timeoutMs} ms:\n${output}`);
    await new Promise((done) => setTimeout(done, 5));
  }
}

/** The exchange running as its own OS process (`node dist/main.js`), so a test can SIGKILL it. */
export class ExchangeProcess {
  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
    /** Milliseconds from spawn to the first healthy answer. */
    readonly startMs: number,
    private readonly output: RecentOutput,
  ) {}

  /**
   * Starts the app on a port the OS picks, with the Node running this test: by default this
   * workspace's build, or `node <args>` in `cwd` (the script last).
   */
  static async start(env: Record<string, string>, timeoutMs = 60_000, { args, cwd }: { args: string[]; cwd?: string } = { args: [MAIN_JS] }): Promise<ExchangeProcess> {
    const main = resolve(cwd ?? '.', args.at(-1)!);
    if (!existsSync(main)) throw new Error(`${main} is missing: build the app first (pnpm turbo run build --filter=@sd/app-exchange)`);
    const started = performance.now();
    const child = spawn(process.execPath, args, {
      cwd,
      env: { ...process.env, EXCHANGE_MODE: 'embedded', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', DEMO_MARKET: 'off', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = new RecentOutput();
    try {
      const url = await untilHealthy(child, output, timeoutMs);
      return new ExchangeProcess(child, url, performance.now() - started, output);
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
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
    return this.output.toString();
  }
}
