import { expect, test, type Browser, type BrowserContext, type Page, type TestInfo } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { admin, signIn, waitForHydration } from './people';
import { codeSentBy, linkIn, waitForEmail } from './mail';
import { runInfo } from './run-info';

export const ownerPassword = 'quiet-harbour-lantern-92';
export const partnerPassword = 'maple-river-compass-31';

/** A short tag per project, so the hydrated and no-JavaScript runs never share data. */
export function tag(info: TestInfo): string {
  return info.project.name === 'no-javascript' ? 'nojs' : 'js';
}

/** A fresh browser context like the test's own (same JavaScript setting). */
export async function newPerson(browser: Browser, javaScriptEnabled: boolean | undefined): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: runInfo().baseURL, javaScriptEnabled: javaScriptEnabled !== false });
  return { context, page: await context.newPage() };
}

/**
 * Opens an admin page from the admin menu: first the group that holds it (a <details>, which
 * hydration may close again if it was opened just before), then the link.
 */
export async function openAdminPage(page: Page, link: string) {
  const nav = page.getByRole('navigation', { name: 'Admin' });
  const target = nav.getByRole('link', { name: link, exact: true });
  await expect(async () => {
    if (!(await target.isVisible())) {
      // A link in a closed group is hidden, so look for it with hidden elements included.
      const hidden = page.getByRole('link', { name: link, exact: true, includeHidden: true });
      await nav.locator('details').filter({ has: hidden }).locator('summary').click();
    }
    await expect(target).toBeVisible({ timeout: 1000 });
  }).toPass();
  await target.click();
}

export async function signInAsAdmin(page: Page) {
  await signIn(page, admin.email, admin.password);
  await expect(page.getByRole('heading', { name: `Hello, ${admin.name}` })).toBeVisible();
}

/** Creates a requestable app through the admin pages; returns its id. */
export async function createResource(page: Page, name: string, slug: string, description: string): Promise<number> {
  await page.goto('/admin/resources/new');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Address name').fill(slug);
  await page.getByLabel('Description').fill(description);
  await page.getByRole('button', { name: 'Create resource' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  const id = /\/admin\/resources\/(\d+)/.exec(page.url())?.[1];
  expect(id, 'resource id in the address').toBeDefined();
  return Number(id);
}

/** Invites a new owner through the resource page, then has them set a password. */
export async function addOwner(adminPage: Page, browser: Browser, js: boolean | undefined, resourceId: number, email: string, name: string) {
  await adminPage.goto(`/admin/resources/${resourceId}`);
  await adminPage.getByLabel('Email').fill(email);
  await adminPage.getByLabel('Full name (for a new account)').fill(name);
  await adminPage.getByRole('button', { name: 'Add owner' }).click();
  await expect(adminPage.getByText('Owner invited')).toBeVisible();
  const welcome = await waitForEmail(email, 'Set your password');
  const { context, page } = await newPerson(browser, js);
  await page.goto(linkIn(welcome, '/welcome/'));
  await page.getByLabel('Password', { exact: true }).fill(ownerPassword);
  await page.getByLabel('Repeat the password').fill(ownerPassword);
  await page.getByRole('button', { name: 'Set password' }).click();
  await expect(page.getByRole('heading', { name: 'Review requests' })).toBeVisible();
  return { context, page };
}

/** Opens the resource's policy page, lets `fill` change it, and saves. */
export async function setPolicy(page: Page, resourceId: number, fill: (page: Page) => Promise<void>) {
  await page.goto(`/admin/resources/${resourceId}/policy`);
  // Typed before hydration, a field can be reset by it: the policy was then saved without it.
  await waitForHydration(page, test.info().project.use.javaScriptEnabled);
  await fill(page);
  await page.getByRole('button', { name: 'Save policy' }).click();
  await expect(page.getByText("The resource's own policy is saved.")).toBeVisible();
}

/** A partner fills the request form for a resource, found in the catalog. */
export async function requestAccess(page: Page, resourceName: string, email: string, name: string) {
  await page.goto('/');
  await page.getByRole('link', { name: `Request access to ${resourceName}` }).click();
  await expect(page.getByRole('heading', { name: `Request access to ${resourceName}` })).toBeVisible();
  await page.getByLabel('Work email').fill(email);
  await page.getByLabel('Full name').fill(name);
  await page.getByLabel('Organisation').fill('Partner Ltd');
  await page.getByLabel('Why do you need access?').fill('I maintain our integration with this app.');
  await page.getByRole('button', { name: 'Send request' }).click();
}

/** An owner approves or denies the newest request from `partnerName` in their queue. */
export async function decide(page: Page, partnerName: string, outcome: 'Approve' | 'Deny', justification = '') {
  await page.goto('/review');
  await page.getByRole('link', { name: `Review the request of ${partnerName}` }).click();
  if (justification) await page.getByLabel('Justification').fill(justification);
  await page.getByRole('button', { name: outcome, exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Review requests' })).toBeVisible();
}

/** Moves an invitation's end into the past, as time would (the e2e server runs on SQLite). */
export function expireInvitationsFor(email: string) {
  const database = path.join(runInfo().workDir, 'portico.db');
  execFileSync('python3', [
    '-c',
    'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("UPDATE invitations SET expires_at = 0 WHERE email = ?", (sys.argv[2],)); c.commit()',
    database,
    email,
  ]);
}

/** On an open invitation page: proves the address with the emailed code, creates the
 * partner's account (no password) and accepts; lands on My access. */
export async function acceptAsNewPartner(page: Page, name: string, email: string) {
  const code = await codeSentBy(email, () => page.getByRole('button', { name: 'Email me a code' }).click());
  await page.getByLabel('Full name').fill(name);
  await page.getByLabel('Code', { exact: true }).fill(code);
  await page.getByRole('button', { name: 'Accept the invitation' }).click();
  await expect(page.getByRole('heading', { name: 'My access' })).toBeVisible();
}

/** Signs in with a code by email, as partners do. */
export async function signInWithCode(page: Page, email: string) {
  await page.goto('/sign-in');
  const code = await codeSentBy(email, async () => {
    await page.getByLabel('Your email address').fill(email);
    await page.getByRole('button', { name: 'Email me a code' }).click();
    await expect(page.getByRole('heading', { name: 'Type your code' })).toBeVisible();
  });
  await page.getByLabel('Code', { exact: true }).fill(code);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
