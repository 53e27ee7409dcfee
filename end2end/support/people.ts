import { expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import * as path from 'node:path';

/** The first admin, created by first-admin.setup.ts through the printed link. */
export const admin = {
  email: 'ada@example.com',
  name: 'Ada Lovelace',
  password: 'plum-kettle-orbit-47',
};

export async function signIn(page: Page, email: string, password: string) {
  await page.goto('/sign-in');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByText('You are signed out.')).toBeVisible();
}

/** Saves a full-page screenshot under end2end/screenshots/, named per project. */
export async function screenshot(page: Page, name: string, project: string) {
  await page.screenshot({
    path: path.join(__dirname, '..', 'screenshots', `${project}-${name}.png`),
    fullPage: true,
  });
}

/**
 * No serious or critical accessibility problems on the page as it is now. axe runs as a script
 * inside the page, which a JavaScript-disabled context cannot do; the server sends those
 * contexts the same HTML, which the hydrated run of the same test audits.
 */
export async function expectAccessible(page: Page, javaScriptEnabled: boolean | undefined = true) {
  if (javaScriptEnabled === false) return;
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
}

/**
 * Partner pages are plain HTML: the page names no script or WebAssembly to fetch and never
 * hydrates, with JavaScript on or off (see app/src/partner_pages.rs).
 */
export async function expectNoAppScript(page: Page) {
  await expect(page.locator('script[type="module"], link[rel="modulepreload"], link[rel="preload"]')).toHaveCount(0);
  await expect(page.locator('body')).not.toHaveAttribute('data-hydrated', 'true');
}

/** With JavaScript on, waits until the page has hydrated (forms then submit without reloads). */
export async function waitForHydration(page: Page, javaScriptEnabled: boolean | undefined) {
  if (javaScriptEnabled === false) return;
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
}
