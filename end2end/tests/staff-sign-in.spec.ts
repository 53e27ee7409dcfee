import { test, expect } from '@playwright/test';
import { admin, expectAccessible, expectNoAppScript, screenshot, signIn, signOut, waitForHydration } from '../support/people';

test('an admin signs in, sees who they are, and signs out', async ({ page, context, javaScriptEnabled }, info) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Welcome to Acme Partners' })).toBeVisible();
  await screenshot(page, 'public-home', info.project.name);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in', level: 1 })).toBeVisible();
  await waitForHydration(page, javaScriptEnabled);
  await expectAccessible(page, javaScriptEnabled);

  // A wrong password: one message for the whole form, the email kept.
  await page.getByLabel('Email', { exact: true }).fill(admin.email);
  await page.getByLabel('Password').fill('not-the-right-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('The email or password is not right.');
  await expect(page.getByLabel('Email', { exact: true })).toHaveValue(admin.email);
  await screenshot(page, 'sign-in-refused', info.project.name);

  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: `Hello, ${admin.name}` })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByText(admin.name)).toBeVisible();

  const session = (await context.cookies()).find((c) => c.name === '__Host-portico');
  expect(session, 'session cookie').toBeDefined();
  expect(session!.httpOnly).toBe(true);
  expect(session!.secure).toBe(true);
  expect(session!.sameSite).toBe('Lax');
  expect(session!.path).toBe('/');

  await signOut(page);
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign in' })).toBeVisible();
  await screenshot(page, 'signed-out', info.project.name);
  expect((await context.cookies()).find((c) => c.name === '__Host-portico')).toBeUndefined();
});

test('an unknown email gets the same answer as a wrong password', async ({ page }) => {
  await signIn(page, 'nobody@example.com', 'not-the-right-password');
  await expect(page.getByRole('alert')).toHaveText('The email or password is not right.');
});

test('after signing in, the person lands where they were going', async ({ page }) => {
  await page.goto('/sign-in?next=%2F%3Fcame%3Dback');
  await page.getByLabel('Email', { exact: true }).fill(admin.email);
  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/\?came=back$/);
  await expect(page.getByRole('heading', { name: `Hello, ${admin.name}` })).toBeVisible();
  await signOut(page);
});

test('a staff page leads to a partner page, which comes from the server as partners get it', async ({ page, javaScriptEnabled }) => {
  await signIn(page, admin.email, admin.password);
  await expect(page.getByRole('heading', { name: `Hello, ${admin.name}` })).toBeVisible();
  await page.goto('/account');
  await expect(page.getByRole('heading', { name: 'Apps you allowed' })).toBeVisible();
  await waitForHydration(page, javaScriptEnabled);

  // The script carries no partner page's code: the router hands the address to the server.
  await page.locator('a.brand').click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('heading', { name: `Hello, ${admin.name}` })).toBeVisible();
  await expectNoAppScript(page);

  // One history entry for the visit: Back returns to the staff page.
  await page.goBack();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole('heading', { name: 'Apps you allowed' })).toBeVisible();
  await signOut(page);
});

test('pages fit a narrow phone screen', async ({ page }, info) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, admin.email, admin.password);
  await expect(page.getByRole('heading', { name: `Hello, ${admin.name}` })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await screenshot(page, 'admin-home-phone', info.project.name);
  await signOut(page);
  await screenshot(page, 'sign-in-phone', info.project.name);
});

test('an unknown address gets a real 404 page', async ({ page }) => {
  const response = await page.goto('/no/such/page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
});
