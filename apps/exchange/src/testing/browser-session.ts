import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Where browser suites leave their screenshots. */
export const ARTIFACTS = resolve(__dirname, '../../../../test-artifacts/web');
/** How long one step of a browser suite (an action, a wait) may take. */
export const STEP_MS = 10_000;

/**
 * Debian's Chromium, headless, for one suite (never a downloaded browser). Each page opens in
 * a context of its own (its own cookies and storage) and records what would be a bug even
 * when the scenario passes: an uncaught exception, a refused call.
 */
export class BrowserSession {
  /** Uncaught exceptions of every page. */
  readonly pageErrors: string[] = [];
  /** `status METHOD path` of the 4xx/5xx answers pages saw on the paths `counted`; a test that provokes one removes it. */
  readonly failedCalls: string[] = [];
  private readonly contexts: BrowserContext[] = [];

  private constructor(
    private readonly browser: Browser,
    private readonly counted: (path: string) => boolean,
  ) {}

  static async launch(options: { counted?: (path: string) => boolean } = {}): Promise<BrowserSession> {
    mkdirSync(ARTIFACTS, { recursive: true });
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    return new BrowserSession(browser, options.counted ?? (() => true));
  }

  /** A page at `url` in a fresh context. */
  async open(url: string, viewport: { width: number; height: number }): Promise<Page> {
    const context = await this.browser.newContext({ viewport });
    this.contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => this.pageErrors.push(error.message));
    page.on('response', (response) => {
      const path = new URL(response.url()).pathname;
      if (response.status() >= 400 && this.counted(path)) this.failedCalls.push(`${response.status()} ${response.request().method()} ${path}`);
    });
    page.setDefaultTimeout(STEP_MS);
    await page.goto(url);
    return page;
  }

  /** After each test: no page threw and no call was refused. */
  expectClean(): void {
    expect(this.pageErrors).toEqual([]);
    expect(this.failedCalls).toEqual([]);
  }

  async close(): Promise<void> {
    for (const context of this.contexts) await context.close();
    await this.browser.close();
  }
}
