import { test, expect, type Page } from '@playwright/test';
import { expectAccessible, screenshot, signIn, signOut, waitForHydration } from '../support/people';
import { addOwner, createResource, ownerPassword, signInAsAdmin, tag } from '../support/portal';
import { recoveryCodesOnPage } from '../support/authenticator';
import { personAtLocalhost, VirtualAuthenticators } from '../support/passkeys';
import { expectNoEnglish } from '../support/english';

async function addPasskey(page: Page, name: string) {
  await expect(page.getByRole('heading', { name: 'Add a passkey or security key' })).toBeVisible();
  await waitForHydration(page, true);
  await page.getByLabel('Name').fill(name);
  await page.getByRole('button', { name: 'Create the passkey' }).click();
}

async function openAccountOf(page: Page, email: string, name: string) {
  await page.goto('/admin/accounts');
  await page.getByLabel('Search').fill(email);
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('link', { name }).click();
  await waitForHydration(page, true);
}

test('a person required to have a second step adds passkeys, signs in with one, and removes one', async ({ page, browser, javaScriptEnabled }, info) => {
  test.skip(!javaScriptEnabled, 'passkeys need JavaScript; the test below covers the page without it');
  test.setTimeout(180_000);
  const t = tag(info);
  const project = info.project.name;
  const email = `kim-${t}@keyring.example`;
  const name = `Kim Keyring ${t}`;
  await signInAsAdmin(page);
  const id = await createResource(page, `Keyring ${t}`, `keyring-${t}`, 'Where the spare keys hang.');
  const { context: welcomed } = await addOwner(page, browser, javaScriptEnabled, id, email, name);
  await welcomed.close();

  // Kim signs in at localhost, on a laptop whose screen lock makes passkeys.
  const { context, page: kim } = await personAtLocalhost(browser, javaScriptEnabled);
  const authenticators = await VirtualAuthenticators.on(kim);
  const laptop = await authenticators.add('internal');
  await signIn(kim, email, ownerPassword);
  await expect(kim.getByRole('heading', { name: `Hello, ${name}` })).toBeVisible();

  // The admin requires a second step of Kim, who has none: she is led to add one first, and
  // chooses a passkey.
  await openAccountOf(page, email, name);
  await page.getByRole('button', { name: 'Require a second step of this person' }).click();
  await expect(page.getByText('A second sign-in step is required of this person')).toBeVisible();
  await kim.goto('/review');
  await expect(kim.getByRole('heading', { name: 'Confirm it is you' })).toBeVisible();
  await kim.getByRole('link', { name: 'Continue' }).click();
  await expect(kim.getByRole('heading', { name: 'Second step' })).toBeVisible();
  await kim.getByRole('link', { name: 'Add a passkey' }).click();
  await expect(kim.getByText('Adding a passkey needs JavaScript')).toBeHidden();
  await expectAccessible(kim, javaScriptEnabled);
  await screenshot(kim, 'add-passkey', project);

  // A name is needed; the device's own check failing is said, and nothing is kept.
  await kim.getByRole('button', { name: 'Create the passkey' }).click();
  await expect(kim.getByLabel('Name')).toHaveJSProperty('validity.valueMissing', true);
  await authenticators.setUserVerified(laptop, false);
  await addPasskey(kim, 'Work laptop');
  await expect(kim.getByText('Your browser did not create a passkey')).toBeVisible();
  expect(await authenticators.keyCount(laptop)).toBe(0);
  await authenticators.setUserVerified(laptop, true);
  await kim.getByRole('button', { name: 'Create the passkey' }).click();

  // The first second factor comes with recovery codes, and then she goes on where she was going.
  await expect(kim.getByRole('heading', { name: 'Your recovery codes' })).toBeVisible();
  await recoveryCodesOnPage(kim);
  expect(await authenticators.keyCount(laptop)).toBe(1);
  await kim.getByRole('link', { name: 'I have kept them: go on' }).click();
  await expect(kim.getByRole('heading', { name: 'Review requests' })).toBeVisible();

  // A second key, on a security key: the laptop is put away so the browser uses the new one.
  await authenticators.remove(laptop);
  const securityKey = await authenticators.add('usb');
  await kim.goto('/account');
  await waitForHydration(kim, javaScriptEnabled);
  await kim.getByRole('link', { name: 'Add a passkey' }).click();
  await addPasskey(kim, 'Blue security key');
  await expect(kim.getByText('Added. Signing in now also asks for your second step.')).toBeVisible();
  const factors = kim.getByRole('table', { name: 'Second sign-in step' });
  await expect(factors.getByRole('row', { name: /Work laptop/ })).toBeVisible();
  await expect(factors.getByRole('row', { name: /Blue security key/ })).toContainText('Never');
  await screenshot(kim, 'account-passkeys', project);

  // Signing in now asks for the second step; the security key gives it.
  await signOut(kim);
  await signIn(kim, email, ownerPassword);
  await expect(kim.getByRole('heading', { name: 'Second step' })).toBeVisible();
  await waitForHydration(kim, javaScriptEnabled);
  await expectAccessible(kim, javaScriptEnabled);
  await screenshot(kim, 'second-step-passkey', project);
  await kim.getByRole('button', { name: 'Use a passkey' }).click();
  await expect(kim.getByRole('heading', { name: `Hello, ${name}` })).toBeVisible();
  await kim.goto('/account');
  await expect(factors.getByRole('row', { name: /Blue security key/ })).not.toContainText('Never');
  await expect(factors.getByRole('row', { name: /Work laptop/ })).toContainText('Never');

  // The same in Dutch.
  await signOut(kim);
  await kim.getByRole('button', { name: 'Nederlands', exact: true }).click();
  await expect(kim.locator('html')).toHaveAttribute('lang', 'nl');
  // The switch comes back to the same address, query and all.
  await expect(kim).toHaveURL(/\/sign-in\?signed_out=1$/);
  await kim.getByLabel('E-mailadres', { exact: true }).fill(email);
  await kim.getByLabel('Wachtwoord').fill(ownerPassword);
  await kim.getByRole('button', { name: 'Inloggen' }).click();
  await expect(kim.getByRole('heading', { name: 'Tweede stap' })).toBeVisible();
  await waitForHydration(kim, javaScriptEnabled);
  await expectNoEnglish(kim, 'second step with a passkey');
  await screenshot(kim, 'dutch-second-step-passkey', project);
  await kim.getByRole('button', { name: 'Passkey gebruiken' }).click();
  await expect(kim.getByRole('button', { name: 'Uitloggen' })).toBeVisible();
  await kim.goto('/account');
  await waitForHydration(kim, javaScriptEnabled);
  await expectNoEnglish(kim, 'account with passkeys');
  await screenshot(kim, 'dutch-account-passkeys', project);
  await kim.getByRole('button', { name: 'English', exact: true }).click();
  await expect(kim.locator('html')).toHaveAttribute('lang', 'en');

  // A key the person no longer has can be removed; the other stays.
  await factors.getByRole('row', { name: /Work laptop/ }).getByRole('button', { name: 'Remove' }).click();
  await expect(kim.getByText('Removed. It no longer signs you in.')).toBeVisible();
  await expect(factors.getByRole('row', { name: /Work laptop/ })).toHaveCount(0);
  await expect(factors.getByRole('row', { name: /Blue security key/ })).toBeVisible();

  // The admin sees the key, and a reset takes it away.
  await openAccountOf(page, email, name);
  await expect(page.getByText('1 passkey or security key.')).toBeVisible();
  await page.getByRole('button', { name: 'Reset the second step' }).click();
  await expect(page.getByText('The second step was reset, and the person has been emailed.')).toBeVisible();
  await expect(page.getByText('This person has no second factor')).toBeVisible();
  await kim.goto('/account');
  await expect(kim.getByRole('table', { name: 'Second sign-in step' })).toHaveCount(0);
  await context.close();
});

test('without JavaScript the account page offers no passkey, and the passkey page says why', async ({ page, browser, javaScriptEnabled }, info) => {
  test.skip(javaScriptEnabled !== false, 'the journey above covers passkeys with JavaScript');
  const t = tag(info);
  await signInAsAdmin(page);
  const id = await createResource(page, `Keyring ${t}`, `keyring-${t}`, 'Where the spare keys hang.');
  const { context, page: kim } = await addOwner(page, browser, javaScriptEnabled, id, `kim-${t}@keyring.example`, `Kim Keyring ${t}`);
  await kim.goto('/account');
  await expect(kim.getByRole('link', { name: 'Add an authenticator app' })).toBeVisible();
  await expect(kim.getByRole('link', { name: 'Add a passkey' })).toBeHidden();
  await kim.goto('/account/passkey');
  await expect(kim.getByText('Adding a passkey needs JavaScript')).toBeVisible();
  await expect(kim.getByRole('button', { name: 'Create the passkey' })).toBeHidden();
  await kim.getByRole('link', { name: 'Add an authenticator app' }).click();
  await expect(kim.getByRole('heading', { name: 'Add an authenticator app' })).toBeVisible();
  await context.close();
});
