import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RecentOutput, untilHealthy } from '../src/testing/exchange-process';

// A newcomer's first run: a fresh clone, `./scripts/start`, then `/` in a browser, on the live
// market of the demo market the exchange runs inside (DEMO_MARKET, on by default).
//
// The clone is a copy of this working tree's files as git sees them (tracked and untracked,
// not ignored): no dist/, no node_modules, no turbo cache, so nothing another command built
// can stand in for what scripts/start builds, and it tests the tree under test rather than
// the last commit. It runs the README's command itself, so the build command cannot drift
// from the one tested. Cost: one build of the app, the botclient and what they depend on (about 40 s here);
// the install is hard links from pnpm's store, and the bootstrap reuses the Node and pnpm in
// this tree's .tools/ (SD_TOOLS_DIR) instead of downloading them again.
// Rebuilding with turbo's cache off in this tree would cost the same build and rewrite dist/
// under the other suites; a dry run of turbo's task graph would be cheaper but would not
// show that what the build writes is what the app serves.
const START_TIMEOUT_MS = 540_000;
jest.setTimeout(START_TIMEOUT_MS + 60_000);

const REPO = resolve(__dirname, '../../..');

let clone: string;
let start: ChildProcess;
const output = new RecentOutput();
/** The app's own process, from its first log line: scripts/start runs it in a session of its own. */
let exchangePid: number | undefined;

function copyWorkingTree(to: string): void {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO, encoding: 'utf8' });
  for (const file of listed.split('\0')) {
    // A tracked file deleted in the working tree is gone from a clone of it too.
    if (file !== '' && existsSync(join(REPO, file))) cpSync(join(REPO, file), join(to, file));
  }
}

/** Runs `scripts/start` in the clone, in its own process group, until the app it starts is healthy. */
function startAsNewcomer(): Promise<string> {
  // The shell a newcomer types into: none of the variables this test's pnpm and turbo set, and
  // no directory of this tree on PATH (its node_modules/.bin, or the Node 24 that bootstrap put
  // first), so the clone's bootstrap meets the machine's own Node.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(npm_|PNPM_|TURBO_|INIT_CWD$|WEB_ROOT$|EXCHANGE_MODE$|DATA_DIR$)/.test(name)));
  const path = (process.env.PATH ?? '').split(':').filter((dir) => !dir.startsWith(REPO) && !dir.includes('/node_modules/'));
  start = spawn('bash', ['scripts/start'], {
    cwd: clone,
    detached: true,
    env: { ...env, PATH: path.join(':'), PORT: '0', LOG_LEVEL: 'info', SD_TOOLS_DIR: join(REPO, '.tools') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  start.stdout!.on('data', (chunk: Buffer) => void (exchangePid ??= Number(/"pid":(\d+)/.exec(chunk.toString())?.[1]) || undefined));
  return untilHealthy(start, output, START_TIMEOUT_MS);
}

beforeAll(() => {
  clone = mkdtempSync(join(tmpdir(), 'sd-first-start-'));
  copyWorkingTree(clone);
});

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Whether any process of the group scripts/start leads (pnpm, the app) still runs. */
function groupAlive(): boolean {
  try {
    process.kill(-start.pid!, 0);
    return true;
  } catch {
    return false;
  }
}

afterAll(async () => {
  // The app stops on SIGTERM as after Ctrl-C; the clone goes once nothing writes in it.
  if (start?.pid !== undefined && groupAlive()) {
    process.kill(-start.pid, 'SIGTERM');
    while (groupAlive()) await new Promise((done) => setTimeout(done, 50));
  }
  rmSync(clone, { recursive: true, force: true });
});

describe('./scripts/start on a fresh clone', () => {
  let url: string;

  beforeAll(async () => {
    expect(existsSync(join(clone, 'apps/web/dist'))).toBe(false);
    url = await startAsNewcomer();
  });

  it('serves the built trading page at /', async () => {
    const page = await fetch(`${url}/`);
    expect([page.status, page.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    const html = await page.text();
    expect(html).toContain('<title>sd exchange</title>');
    // The page as vite built it (hashed bundle), not the source index.html.
    const script = /<script type="module" crossorigin src="(\/assets\/[^"]+\.js)">/.exec(html)?.[1];
    expect(script).toBeDefined();
    const bundle = await fetch(`${url}${script}`);
    expect([bundle.status, bundle.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
  });

  it('answers the API next to it', async () => {
    const products = await fetch(`${url}/api/products`);
    expect(products.status).toBe(200);
    expect(((await products.json()) as Array<{ id: string }>).map((product) => product.id)).toContain('BTC-USDT');
  });

  it("opens on a live market: the demo fills the page's book and trades panels", async () => {
    type Book = { bids: unknown[]; asks: unknown[] };
    const get = async <T>(path: string): Promise<T> => (await fetch(`${url}/api/products/BTC-USDT/${path}`)).json() as Promise<T>;
    // The demo market quotes before the exchange answers; its takers trade within seconds.
    const deadline = Date.now() + 10_000;
    let seen: { book: Book; trades: unknown[] };
    for (;;) {
      seen = { book: await get<Book>('book?level=2'), trades: await get<unknown[]>('trades') };
      if ((seen.book.bids.length > 0 && seen.book.asks.length > 0 && seen.trades.length > 0) || Date.now() > deadline) break;
      await new Promise((done) => setTimeout(done, 250));
    }
    expect(seen.book.bids.length).toBeGreaterThan(1);
    expect(seen.book.asks.length).toBeGreaterThan(1);
    expect(seen.trades.length).toBeGreaterThan(0);
  });

  it('stops the exchange on SIGTERM, exits 0 and leaves no process behind', async () => {
    expect(exchangePid).toBeDefined();
    const exited = new Promise<number | null>((done) => start.once('exit', (code) => done(code)));
    process.kill(-start.pid!, 'SIGTERM');
    expect(await exited).toBe(0);
    while (groupAlive()) await new Promise((done) => setTimeout(done, 50));
    expect(processAlive(exchangePid!)).toBe(false);
  });
});
