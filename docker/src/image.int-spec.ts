import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ExchangeProcess } from '@sd/app-exchange/testing/exchange-process';

// The exchange image without Docker: its /app is what the Dockerfile's `pnpm deploy` writes,
// so this runs that command (read from the Dockerfile) into a temporary directory and starts
// the result as the image's CMD does, with nothing from the workspace around it.
const repoRoot = resolve(__dirname, '../..');
const dockerfile = readFileSync(resolve(__dirname, '../Dockerfile'), 'utf8');

let app: string;
let dataDir: string;
let exchange: ExchangeProcess | undefined;

beforeAll(() => {
  const deploy = /pnpm --filter="\$\{APP_NAME\}" (deploy [^\n]*) \/out$/m.exec(dockerfile)?.[1];
  if (deploy === undefined) throw new Error('docker/Dockerfile no longer makes the image with `pnpm --filter="${APP_NAME}" deploy ... /out`');
  app = mkdtempSync(join(tmpdir(), 'sd-image-'));
  dataDir = mkdtempSync(join(tmpdir(), 'sd-image-data-'));
  // --offline: from the packages the workspace install put in pnpm's store, as a test should
  // (under turbo, without the machine's proxy settings, a registry request here hung for good).
  execFileSync('pnpm', ['--filter=@sd/app-exchange', ...deploy.split(' '), '--offline', app], { cwd: repoRoot, stdio: 'pipe', timeout: 120_000 });
});

afterAll(async () => {
  await exchange?.kill('SIGTERM');
  rmSync(app, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the exchange image (docker/Dockerfile)', () => {
  it('carries the built trading page where the default WEB_ROOT looks, and serves it at /', async () => {
    expect(existsSync(join(app, 'node_modules/@sd/app-web/dist/index.html'))).toBe(true);
    // The final stage's environment and command, run in the deployed directory (its WORKDIR).
    const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    const env = Object.fromEntries([...finalStage.matchAll(/^ENV (\w+)=(\S+)$/gm)].map(([, name, value]) => [name!, value!]));
    const [node, ...args] = JSON.parse(/^CMD (\[.*\])$/m.exec(finalStage)![1]!) as string[];
    expect([node, env.NODE_ENV]).toEqual(['node', 'production']);
    exchange = await ExchangeProcess.start({ ...env, DATA_DIR: dataDir }, 60_000, { args, cwd: app });
    const page = await fetch(`${exchange.url}/`);
    expect([page.status, page.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    expect(await page.text()).toContain('<title>sd exchange</title>');
  });
});
