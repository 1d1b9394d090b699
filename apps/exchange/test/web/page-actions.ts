import type { Page } from 'playwright-core';
import { STEP_MS } from '../../src/testing/browser-session';

// What a user does on the trading page, for the browser suites.

/** Waits until the element's text is `expected`, and on timeout says what it was instead. */
export async function expectText(page: Page, selector: string, expected: string): Promise<void> {
  try {
    await page.waitForFunction(([s, e]) => document.querySelector(s)?.textContent?.trim() === e, [selector, expected] as const, { timeout: STEP_MS });
  } catch {
    const actual = await page.locator(selector).first().textContent({ timeout: 1000 }).catch(() => '(no such element)');
    const alerts = await page.locator('#alerts').textContent();
    throw new Error(`${selector}: expected "${expected}", got "${actual?.trim()}"; alerts: "${alerts}"`);
  }
}

export async function signUp(page: Page, email: string): Promise<void> {
  await page.fill('#email', email);
  await page.fill('#password', 'correct horse battery staple');
  await page.click('#signup');
  await expectText(page, '#user-email', email);
}

export async function faucet(page: Page, currency: string, amount: string): Promise<void> {
  await page.selectOption('#faucet-currency', currency);
  await page.fill('#faucet-amount', amount);
  await page.click('#faucet-submit');
  await expectText(page, `#balances tr[data-currency="${currency}"] .available`, amount);
}
