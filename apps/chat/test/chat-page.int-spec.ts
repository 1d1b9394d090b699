import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { serveApp, type RunningApp } from '@sd/app/app-container';
import { createChatContainer } from '../src/container';
import { testConfig } from '../src/testing/chat-client';

// The chat app on its embedded default serving the built page (dist/web, built by
// `pnpm test:integration`), driven through Debian's Chromium: never a downloaded browser.
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = resolve(__dirname, '../../../test-artifacts/chat');
const STEP_MS = 10_000;

let chat: RunningApp;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  chat = await serveApp(await createChatContainer(testConfig({ webRoot: resolve(__dirname, '../dist/web') })), { port: 0 });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await chat?.close();
});

afterEach(() => {
  // An uncaught exception in the page is a bug even when the scenario passes.
  expect(pageErrors).toEqual([]);
});

async function open(): Promise<{ page: Page; context: BrowserContext }> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.setDefaultTimeout(STEP_MS);
  await page.goto(chat.url);
  return { page, context };
}

/** Signs up on the page and answers the user id it shows. */
async function signUp(page: Page, email: string): Promise<string> {
  await page.fill('#email', email);
  await page.fill('#password', 'Correct-Horse-7');
  await page.click('#signup');
  await page.locator('#conn[data-state="open"]').waitFor();
  return (await page.locator('#me').textContent())!.trim();
}

async function say(page: Page, text: string): Promise<void> {
  await page.fill('#text', text);
  await page.click('#send');
}

describe('the chat page in Chromium against a real chat app', () => {
  it('lets two people befriend, talk directly and in a channel, and see each other come and go', async () => {
    const ann = await open();
    const bob = await open();
    const annId = await signUp(ann.page, 'ann@example.com');
    const bobId = await signUp(bob.page, 'bob@example.com');

    // Bob asks Ann by her id; she accepts; each sees the other online.
    await bob.page.fill('#friend-id', annId);
    await bob.page.click('#add-friend');
    await ann.page.locator(`#friends li[data-user="${bobId}"][data-status="incoming"] .accept`).click();
    await bob.page.locator(`#friends li[data-user="${annId}"][data-status="friend"][data-online="true"]`).waitFor();
    await ann.page.locator(`#friends li[data-user="${bobId}"][data-status="friend"][data-online="true"]`).waitFor();

    // A direct message, with an unread badge on Ann's side until she opens the conversation.
    await bob.page.click(`#friends li[data-user="${annId}"]`);
    await say(bob.page, 'hi Ann');
    await ann.page.locator(`#friends li[data-user="${bobId}"] .badge`, { hasText: '1' }).waitFor();
    await ann.page.click(`#friends li[data-user="${bobId}"]`);
    await ann.page.locator('#messages li', { hasText: 'hi Ann' }).waitFor();
    await ann.page.locator(`#friends li[data-user="${bobId}"] .badge:empty`).waitFor({ state: 'attached' });

    // Ann creates a channel; Bob joins it by its id; they talk there.
    await ann.page.fill('#channel-name', 'book club');
    await ann.page.click('#create-channel');
    const channel = ann.page.locator('#channels li', { hasText: 'book club' });
    const channelId = (await channel.getAttribute('data-channel'))!;
    await bob.page.fill('#channel-id', channelId);
    await bob.page.click('#join-channel');
    await bob.page.click(`#channels li[data-channel="${channelId}"]`);
    await ann.page.click(`#channels li[data-channel="${channelId}"]`);
    await say(ann.page, 'welcome, Bob');
    await bob.page.locator('#messages li', { hasText: 'welcome, Bob' }).waitFor();
    await say(bob.page, 'thanks!');
    await ann.page.locator('#messages li', { hasText: 'thanks!' }).waitFor();
    await ann.page.screenshot({ path: resolve(ARTIFACTS, 'channel.png') });

    // Bob leaves: Ann sees him offline.
    await bob.context.close();
    await ann.page.locator(`#friends li[data-user="${bobId}"][data-online="false"]`).waitFor();
    expect(await ann.page.locator('#alerts').textContent()).toBe('');
  });
});
