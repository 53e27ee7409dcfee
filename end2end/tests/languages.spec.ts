import { test, expect, type Browser, type Page } from '@playwright/test';
import { admin, expectAccessible, screenshot, signIn, waitForHydration } from '../support/people';
import { openAdminPage, signInAsAdmin } from '../support/portal';
import { runInfo } from '../support/run-info';

/** A fresh browser whose language is `locale` (its Accept-Language), with the test's JavaScript setting. */
async function browserIn(browser: Browser, locale: string, javaScriptEnabled: boolean | undefined) {
  const context = await browser.newContext({ baseURL: runInfo().baseURL, locale, javaScriptEnabled: javaScriptEnabled !== false });
  return { context, page: await context.newPage() };
}

/** Switches the page to `language` with the header's switcher, and checks it stayed on the same address. */
async function switchTo(page: Page, language: 'English' | 'Nederlands', tag: 'en' | 'nl') {
  const before = new URL(page.url());
  await page.getByRole('button', { name: language, exact: true }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', tag);
  expect(new URL(page.url()).pathname).toBe(before.pathname);
}

test('a Dutch browser gets Dutch pages, and the switcher keeps the person where they are', async ({ browser, javaScriptEnabled }, info) => {
  const { context, page } = await browserIn(browser, 'nl-NL', javaScriptEnabled);
  await page.goto('/sign-in');
  await expect(page.locator('html')).toHaveAttribute('lang', 'nl');
  await expect(page.getByRole('heading', { name: 'Inloggen', level: 1 })).toBeVisible();
  await expect(page.getByLabel('E-mailadres', { exact: true })).toBeVisible();
  await expect(page.getByLabel('Wachtwoord')).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Inloggen' })).toBeVisible();
  await expect(page.locator('footer')).toHaveText('Portico · toegangsportaal voor partners');
  await expect(page).toHaveTitle(/^Inloggen/);
  await waitForHydration(page, javaScriptEnabled);
  await expectAccessible(page, javaScriptEnabled);
  await screenshot(page, 'sign-in-dutch', info.project.name);

  // The choice is remembered (a cookie) and beats the browser's language from then on.
  await switchTo(page, 'English', 'en');
  await expect(page.getByRole('heading', { name: 'Sign in', level: 1 })).toBeVisible();
  const missing = await page.goto('/no/such/page');
  expect(missing?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await switchTo(page, 'Nederlands', 'nl');
  await expect(page.getByRole('heading', { name: 'Pagina niet gevonden' })).toBeVisible();
  await context.close();
});

test('a signed-in person\'s language is saved and follows them to another browser', async ({ page, browser, javaScriptEnabled }, info) => {
  await signInAsAdmin(page);
  try {
    await switchTo(page, 'Nederlands', 'nl');
    await expect(page.getByRole('button', { name: 'Uitloggen' })).toBeVisible();
    const menu = page.getByRole('navigation', { name: 'Beheer' });
    await expect(menu.locator('details > summary')).toHaveText(['Toegang', 'Catalogus', 'Koppelingen', 'Systeem']);
    await expect(page.getByText('Beheerder', { exact: true })).toBeVisible();
    await screenshot(page, 'admin-home-dutch', info.project.name);

    // Another browser, English by its own setting: after signing in, the saved choice wins.
    const { context, page: other } = await browserIn(browser, 'en-GB', javaScriptEnabled);
    await signIn(other, admin.email, admin.password);
    await expect(other.getByRole('button', { name: 'Uitloggen' })).toBeVisible();
    await expect(other.locator('html')).toHaveAttribute('lang', 'nl');
    await context.close();
  } finally {
    // The shared admin goes back to English for the tests that follow.
    await page.goto('/');
    const english = page.getByRole('button', { name: 'English', exact: true });
    if (await english.isVisible()) await english.click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  }
});

test('the portal\'s default language serves browsers that ask for none Portico speaks', async ({ page, browser, javaScriptEnabled }) => {
  await signInAsAdmin(page);
  await openAdminPage(page, 'Settings');
  await waitForHydration(page, javaScriptEnabled);
  const choose = async (language: string) => {
    await page.getByLabel('Default language').selectOption(language);
    await page.getByRole('button', { name: 'Save', exact: true }).first().click();
    await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  };
  try {
    await choose('nl');
    const { context, page: visitor } = await browserIn(browser, 'de-DE', javaScriptEnabled);
    await visitor.goto('/sign-in');
    await expect(visitor.getByRole('heading', { name: 'Inloggen', level: 1 })).toBeVisible();
    await context.close();
  } finally {
    await choose('en');
  }
});
