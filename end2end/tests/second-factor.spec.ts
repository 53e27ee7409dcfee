import { test, expect, type Page } from '@playwright/test';
import { expectAccessible, screenshot, signIn, signOut, waitForHydration } from '../support/people';
import { waitForEmail } from '../support/mail';
import { addOwner, createResource, ownerPassword, signInAsAdmin, tag } from '../support/portal';
import { authenticatorCode, recoveryCodesOnPage, secretOnPage } from '../support/authenticator';

async function typeSecondFactor(page: Page, code: string) {
  await expect(page.getByRole('heading', { name: 'Second step' })).toBeVisible();
  await page.getByLabel('Code', { exact: true }).fill(code);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('an owner adds an authenticator app, signs in with it and a recovery code, and an admin resets it', async ({ page, browser, javaScriptEnabled }, info) => {
  test.setTimeout(180_000);
  const t = tag(info);
  const project = info.project.name;
  const ownerEmail = `sam-${t}@strongroom.example`;
  const ownerName = `Sam Strongroom ${t}`;
  await signInAsAdmin(page);
  const id = await createResource(page, `Strongroom ${t}`, `strongroom-${t}`, 'Where the keys are kept.');
  const { page: sam } = await addOwner(page, browser, javaScriptEnabled, id, ownerEmail, ownerName);

  // From the account page to the enrolment: the QR code, the secret, and a first code.
  await sam.goto('/account');
  await waitForHydration(sam, javaScriptEnabled);
  await expect(sam.getByRole('heading', { name: 'Second sign-in step' })).toBeVisible();
  await sam.getByRole('link', { name: 'Add an authenticator app' }).click();
  await expect(sam.getByRole('heading', { name: 'Add an authenticator app' })).toBeVisible();
  await expect(sam.getByRole('img', { name: 'QR code for your authenticator app' }).locator('svg')).toBeVisible();
  const secret = await secretOnPage(sam);
  await waitForHydration(sam, javaScriptEnabled);
  await expectAccessible(sam, javaScriptEnabled);
  await screenshot(sam, 'add-authenticator', project);
  await sam.getByLabel('Code from the app').fill('000000');
  await sam.getByRole('button', { name: 'Add the app' }).click();
  await expect(sam.getByText('This code is not right.')).toBeVisible();
  await sam.getByLabel('Code from the app').fill(authenticatorCode(secret));
  await sam.getByRole('button', { name: 'Add the app' }).click();
  await expect(sam.getByRole('heading', { name: 'Your recovery codes' })).toBeVisible();
  const codes = await recoveryCodesOnPage(sam);
  await screenshot(sam, 'recovery-codes', project);
  await sam.getByRole('link', { name: 'I have kept them: back to my account' }).click();
  await expect(sam.getByText('You have 10 unused recovery codes.')).toBeVisible();
  await expect(sam.getByRole('table', { name: 'Second sign-in step' }).getByRole('cell', { name: 'Authenticator app' })).toBeVisible();
  // Shown once: coming back shows none.
  await sam.goto('/account/recovery-codes');
  await expect(sam.getByText('Recovery codes are shown only once')).toBeVisible();

  // Signing in now takes two steps; a wrong code is said beside the field.
  await sam.goto('/account');
  await signOut(sam);
  await signIn(sam, ownerEmail, ownerPassword);
  await expect(sam.getByRole('heading', { name: 'Second step' })).toBeVisible();
  await expect(sam.getByLabel('Code', { exact: true })).toHaveAttribute('autocomplete', 'one-time-code');
  await waitForHydration(sam, javaScriptEnabled);
  await expectAccessible(sam, javaScriptEnabled);
  await screenshot(sam, 'second-step', project);
  await typeSecondFactor(sam, '000000');
  await expect(sam.getByText('This code is not right.')).toBeVisible();
  await expect(sam.getByLabel('Code', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await typeSecondFactor(sam, authenticatorCode(secret, 1));
  await expect(sam.getByRole('button', { name: 'Sign out' })).toBeVisible();

  // A recovery code works once.
  await signOut(sam);
  await signIn(sam, ownerEmail, ownerPassword);
  await typeSecondFactor(sam, codes[0]);
  await expect(sam.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await sam.goto('/account');
  await expect(sam.getByText('You have 9 unused recovery codes.')).toBeVisible();
  await signOut(sam);
  await signIn(sam, ownerEmail, ownerPassword);
  await typeSecondFactor(sam, codes[0]);
  await expect(sam.getByText('This code is not right.')).toBeVisible();

  // Lost phone and codes: an admin resets the second step, and the owner is emailed.
  await page.goto('/admin/accounts');
  await page.getByLabel('Search').fill(ownerEmail);
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('link', { name: ownerName }).click();
  await expect(page.getByRole('heading', { name: 'Second sign-in step' })).toBeVisible();
  await waitForHydration(page, javaScriptEnabled);
  await page.getByRole('button', { name: 'Reset the second step' }).click();
  await expect(page.getByText('The second step was reset, and the person has been emailed.')).toBeVisible();
  await expect(page.getByText('This person has no second factor')).toBeVisible();
  await screenshot(page, 'admin-reset-second-step', project);
  await waitForEmail(ownerEmail, 'Your second sign-in step was reset');
  await signIn(sam, ownerEmail, ownerPassword);
  await expect(sam.getByRole('button', { name: 'Sign out' })).toBeVisible();
});
