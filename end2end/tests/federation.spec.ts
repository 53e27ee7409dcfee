import { test, expect, type Page } from '@playwright/test';
import { expectAccessible, screenshot, signOut, waitForHydration } from '../support/people';
import { linkIn, waitForEmail } from '../support/mail';
import { createResource, decide, newPerson, openAdminPage, requestAccess, signInAsAdmin, tag } from '../support/portal';
import { runInfo } from '../support/run-info';

// Partners from a company with its own OpenID provider (the npm package oidc-provider, started
// by global-setup.ts) never get a code or a password: they sign in there.

/** At the test provider's own login form (any password): signs in as `email`. */
async function signInAtProvider(page: Page, email: string) {
  await expect(page).toHaveURL(new RegExp(`^${runInfo().idpIssuer}/`));
  await page.locator('input[name="login"]').fill(email);
  await page.locator('input[name="password"]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
}

test('partners from a company with its own provider redeem and sign in there', async ({ page, browser, javaScriptEnabled }, info) => {
  test.setTimeout(120_000);
  const t = tag(info);
  const domain = `${t}.globex.test`;
  const resource = `Shipyard ${t}`;
  const gina = `gina-${t}@${domain}`;
  await signInAsAdmin(page);
  const id = await createResource(page, resource, `shipyard-${t}`, 'Docks and cranes.');
  expect(id).toBeGreaterThan(0);

  // The admin adds the provider on its page and tests it.
  await openAdminPage(page, 'Identity providers');
  await expect(page.getByRole('heading', { name: 'Identity providers', level: 1 })).toBeVisible();
  await waitForHydration(page, javaScriptEnabled);
  await page.getByLabel('Name partners see').fill('Globex');
  await page.getByLabel('Issuer URL').fill(runInfo().idpIssuer);
  await page.getByLabel('Client ID').fill('portico');
  await page.getByLabel('Client secret').fill('e2e-identity-provider-secret');
  await page.getByLabel('Email domains').fill(domain);
  await page.getByRole('button', { name: 'Add provider' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  try {
    await waitForHydration(page, javaScriptEnabled);
    await page.getByRole('button', { name: 'Test the provider' }).click();
    await expect(page.getByText(/The provider answered: its discovery document and \d+ signing key/)).toBeVisible();
    await expectAccessible(page, javaScriptEnabled);
    await screenshot(page, 'identity-provider', info.project.name);

    // Gina asks for access; the admin approves; she accepts at her own provider.
    const { page: partner } = await newPerson(browser, javaScriptEnabled);
    await requestAccess(partner, resource, gina, 'Gina Globex');
    await decide(page, 'Gina Globex', 'Approve');
    await partner.goto(linkIn(await waitForEmail(gina, `You are invited to ${resource}`), '/invite/'));
    await expect(partner.getByText(`${gina} signs in with Globex, your organisation's own sign-in.`)).toBeVisible();
    await partner.getByRole('button', { name: 'Continue with Globex' }).click();
    await signInAtProvider(partner, gina);
    await expect(partner.getByRole('heading', { name: 'My access', level: 1 })).toBeVisible();
    await expect(partner.getByText(resource).first()).toBeVisible();

    // Her account has no password and shows the link; signing in again goes through Globex.
    await partner.goto('/account');
    await expect(partner.getByRole('cell', { name: 'Globex', exact: true })).toBeVisible();
    await expect(partner.getByText('None: you sign in with a code by email or through your organisation.')).toBeVisible();
    await screenshot(partner, 'account', info.project.name);
    await signOut(partner);
    await partner.goto('/sign-in');
    await waitForHydration(partner, javaScriptEnabled);
    await partner.getByLabel('Your email address').fill(gina);
    await partner.getByRole('button', { name: 'Email me a code' }).click();
    // The provider remembers her: straight back, signed in.
    await expect(partner.getByRole('heading', { name: 'Hello, Gina Globex', level: 1 })).toBeVisible();

    // Someone signed in at Globex as another address is refused with a clear page.
    const other = `otto-${t}@${domain}`;
    await requestAccess(partner, resource, other, 'Otto Globex');
    await decide(page, 'Otto Globex', 'Approve');
    const { page: stranger } = await newPerson(browser, javaScriptEnabled);
    await stranger.goto(linkIn(await waitForEmail(other, `You are invited to ${resource}`), '/invite/'));
    await stranger.getByRole('button', { name: 'Continue with Globex' }).click();
    await signInAtProvider(stranger, `someone-else-${t}@${domain}`);
    await expect(stranger.getByRole('heading', { name: 'Signing in with your organisation' })).toBeVisible();
    await expect(stranger.getByText(`You signed in at Globex as someone-else-${t}@${domain}, but this was for ${other}.`)).toBeVisible();
    await expect(stranger.getByRole('button', { name: 'Try a different account' })).toBeVisible();
    await expectAccessible(stranger, javaScriptEnabled);
    await screenshot(stranger, 'provider-mismatch', info.project.name);

    // A second step is required of Gina: her provider's sign-in, which says nothing of one, leads
    // to Portico's second step...
    await page.goto('/admin/accounts');
    await page.getByLabel('Search').fill(gina);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'Gina Globex' }).click();
    await waitForHydration(page, javaScriptEnabled);
    await page.getByRole('button', { name: 'Require a second step of this person' }).click();
    await expect(page.getByText('A second sign-in step is required of this person')).toBeVisible();
    const asked = await newPerson(browser, javaScriptEnabled);
    await asked.page.goto('/sign-in');
    await asked.page.getByLabel('Your email address').fill(gina);
    await asked.page.getByRole('button', { name: 'Email me a code' }).click();
    await signInAtProvider(asked.page, gina);
    await expect(asked.page.getByRole('heading', { name: 'Second step' })).toBeVisible();
    await expect(asked.page.getByRole('link', { name: 'Add an authenticator app' })).toBeVisible();
    await asked.context.close();
    // ... but once the admin trusts Globex's multi-factor sign-in, a token that says one was
    // used (amr has mfa) is enough.
    await page.goto('/admin/identity-providers');
    await page.getByRole('link', { name: 'Globex' }).click();
    await waitForHydration(page, javaScriptEnabled);
    await page.getByLabel('Trust its multi-factor sign-in').check();
    await page.getByRole('button', { name: 'Save the provider' }).click();
    await expect(page.getByText('Saved.')).toBeVisible();
    const trusted = await newPerson(browser, javaScriptEnabled);
    await trusted.page.goto('/sign-in');
    await trusted.page.getByLabel('Your email address').fill(gina);
    await trusted.page.getByRole('button', { name: 'Email me a code' }).click();
    await signInAtProvider(trusted.page, `${gina}#mfa`);
    await expect(trusted.page.getByRole('heading', { name: 'Hello, Gina Globex', level: 1 })).toBeVisible();
    await trusted.context.close();
  } finally {
    // One issuer, one provider: the next project adds it again.
    await page.goto('/admin/identity-providers');
    await page.getByRole('link', { name: 'Globex' }).click();
    await waitForHydration(page, javaScriptEnabled);
    await page.getByRole('button', { name: 'Remove the provider' }).click();
    await expect(page.getByText('The provider is removed.')).toBeVisible();
  }
});
