import { test, expect, type Page } from '@playwright/test';
import { expectAccessible, screenshot, signOut, waitForHydration } from '../support/people';
import { codeSentBy, linkIn, waitForEmail } from '../support/mail';
import { acceptAsNewPartner, createResource, newPerson, openAdminPage, requestAccess, setPolicy, signInAsAdmin, tag } from '../support/portal';

/** Asks for a sign-in code for `email` on `page`; returns the code from the email. */
async function askForCode(page: Page, email: string): Promise<string> {
  await page.goto('/sign-in');
  return codeSentBy(email, async () => {
    await page.getByLabel('Your email address').fill(email);
    await page.getByRole('button', { name: 'Email me a code' }).click();
    await expect(page.getByRole('heading', { name: 'Type your code' })).toBeVisible();
  });
}

async function typeCode(page: Page, code: string) {
  await page.getByLabel('Code', { exact: true }).fill(code);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** A code that is not `code`. */
function otherThan(code: string): string {
  return code.slice(0, 7) + ((Number(code[7]) + 1) % 10);
}

test('a partner without a password signs in with codes: once, in their browser, five tries', async ({ page, browser, javaScriptEnabled }, info) => {
  const t = tag(info);
  const resource = `Lighthouse ${t}`;
  const partner = `lena-${t}@codes.example`;
  await signInAsAdmin(page);
  const id = await createResource(page, resource, `lighthouse-${t}`, 'Berths and tides.');
  await setPolicy(page, id, async (p) => {
    await p.getByLabel('Auto-approve domains').fill('codes.example');
  });
  const { page: lena } = await newPerson(browser, javaScriptEnabled);
  await requestAccess(lena, resource, partner, 'Lena Partner');
  await lena.goto(linkIn(await waitForEmail(partner, `You are invited to ${resource}`), '/invite/'));
  await acceptAsNewPartner(lena, 'Lena Partner', partner);
  await signOut(lena);

  // The sign-in page offers codes first; the code page says the same for every address.
  await lena.goto('/sign-in');
  await waitForHydration(lena, javaScriptEnabled);
  await expectAccessible(lena, javaScriptEnabled);
  await screenshot(lena, 'sign-in', info.project.name);
  const code = await askForCode(lena, partner);
  await expect(lena.getByText(`If ${partner} belongs to a partner account, we have sent it a code.`)).toBeVisible();
  await expect(lena.getByLabel('Code', { exact: true })).toHaveAttribute('inputmode', 'numeric');
  await waitForHydration(lena, javaScriptEnabled);
  await expectAccessible(lena, javaScriptEnabled);
  await screenshot(lena, 'sign-in-code', info.project.name);

  // Another browser session cannot use it.
  const { page: other } = await newPerson(browser, javaScriptEnabled);
  await other.goto('/sign-in/code');
  await expect(other.getByText('No code was asked for in this browser')).toBeVisible();
  await askForCode(other, partner);
  await typeCode(other, code);
  await expect(other.getByText('This code is not right. You can try 4 more times.')).toBeVisible();

  // Wrong codes count down; the fifth kills the code, and then the right one fails too.
  for (const left of ['4 more times', '3 more times', '2 more times', '1 more time']) {
    await typeCode(lena, otherThan(code));
    await expect(lena.getByText(`You can try ${left}.`)).toBeVisible();
    await expect(lena.getByLabel('Code', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  }
  await typeCode(lena, otherThan(code));
  await expect(lena.getByText('typed wrong too often to work any more')).toBeVisible();
  await typeCode(lena, code);
  await expect(lena.getByText('This code no longer works')).toBeVisible();
  await screenshot(lena, 'sign-in-code-spent', info.project.name);

  // A new code signs in.
  const fresh = await askForCode(lena, partner);
  await typeCode(lena, `${fresh.slice(0, 4)} ${fresh.slice(4)}`);
  await expect(lena.getByRole('navigation', { name: 'Main' }).getByText('Lena Partner')).toBeVisible();
  await lena.goto('/my-access');
  await expect(lena.getByRole('list', { name: 'Resources you can use' }).getByRole('listitem').filter({ hasText: resource })).toBeVisible();
});

test('an admin lets new partners choose a password instead of codes', async ({ page, browser, javaScriptEnabled }, info) => {
  const t = tag(info);
  const resource = `Slipway ${t}`;
  const partner = `jan-${t}@quay.example`;
  await signInAsAdmin(page);
  const id = await createResource(page, resource, `slipway-${t}`, 'Cranes.');
  await setPolicy(page, id, async (p) => {
    await p.getByLabel('Auto-approve domains').fill('quay.example');
  });
  await openAdminPage(page, 'Settings');
  const section = page.locator('#sign-in');
  await expect(section.getByLabel('Partners can sign in and accept invitations with a one-time code')).toBeChecked();
  await expect(section.getByLabel('New partners can choose a password instead')).not.toBeChecked();
  await waitForHydration(page, javaScriptEnabled);
  try {
    // Neither way in is refused beside the first box.
    await section.getByLabel('Partners can sign in and accept invitations with a one-time code').uncheck();
    await section.getByRole('button', { name: 'Save how partners sign in' }).click();
    await expect(page.getByText('New partners need a way to sign in')).toBeVisible();
    await page.goto('/admin/settings');
    await page.locator('#sign-in').getByLabel('New partners can choose a password instead').check();
    await page.locator('#sign-in').getByRole('button', { name: 'Save how partners sign in' }).click();
    await expect(page.getByText('Saved: the sign-in and invitation pages follow the new choice.')).toBeVisible();
    await screenshot(page, 'settings-sign-in', info.project.name);

    const { page: jan } = await newPerson(browser, javaScriptEnabled);
    await requestAccess(jan, resource, partner, 'Jan Partner');
    await jan.goto(linkIn(await waitForEmail(partner, `You are invited to ${resource}`), '/invite/'));
    await expect(jan.getByRole('button', { name: 'Email me a code' })).toBeVisible();
    await expect(jan.getByRole('heading', { name: 'Or with a password' })).toBeVisible();
    await screenshot(jan, 'invitation-choice', info.project.name);
    await jan.getByLabel('Full name').fill('Jan Partner');
    await jan.getByLabel('Choose a password').fill('harbour-crane-lantern-58');
    await jan.getByLabel('Repeat the password').fill('harbour-crane-lantern-58');
    await jan.getByRole('button', { name: 'Create account and accept' }).click();
    await expect(jan.getByRole('heading', { name: 'My access' })).toBeVisible();
  } finally {
    // Settings are portal-wide: put them back for the tests that follow.
    await page.goto('/admin/settings');
    const back = page.locator('#sign-in');
    await back.getByLabel('Partners can sign in and accept invitations with a one-time code').check();
    await back.getByLabel('New partners can choose a password instead').uncheck();
    await back.getByRole('button', { name: 'Save how partners sign in' }).click();
    await expect(page.getByText('Saved: the sign-in and invitation pages follow the new choice.')).toBeVisible();
  }
});
