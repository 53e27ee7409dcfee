import { test, expect, type Page } from '@playwright/test';
import { expectAccessible, screenshot, waitForHydration } from '../support/people';
import { linkIn, waitForEmail } from '../support/mail';
import { acceptAsNewPartner, addOwner, createResource, decide, newPerson, requestAccess, signInAsAdmin, tag } from '../support/portal';
import { freePort, startSampleApp } from '../support/sample-app';
import { runInfo } from '../support/run-info';

/** Registers the app on its App sign-in page, reached from `from` (the resource's admin page, or
 * its owner's page); returns its client id and secret. */
async function registerApp(page: Page, js: boolean | undefined, from: string, app: string, kind: 'confidential' | 'public', firstParty: boolean) {
  await page.goto(from);
  await page.getByRole('link', { name: 'App sign-in' }).click();
  await expect(page.getByRole('heading', { name: 'App sign-in' })).toBeVisible();
  await waitForHydration(page, js);
  await page.getByLabel('Return addresses').fill(`${app}/callback`);
  await page.getByLabel("The app's sign-in address").fill(`${app}/login`);
  await page.getByLabel('Addresses after signing out (optional)').fill(`${app}/signed-out`);
  if (kind === 'public') await page.getByLabel('Public: a browser or mobile app').check();
  if (!firstParty) await page.getByLabel("The organisation's own app").uncheck();
  await page.getByLabel('Groups they belong to').check();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  const clientId = (await page.getByTestId('client-id').textContent())?.trim() ?? '';
  const secret = kind === 'public' ? '' : ((await page.getByTestId('app-secret').textContent())?.trim() ?? '');
  expect(clientId).not.toBe('');
  if (kind === 'confidential') expect(secret.length).toBe(43);
  return { clientId, secret };
}

test('a partner opens the app, asks for access from it, and ends up signed in to it', async ({ page, browser, javaScriptEnabled }, info) => {
  const t = tag(info);
  const resource = `Ledgerly ${t}`;
  const partner = `rita-ledgerly-${t}@partner.example`;
  const port = await freePort();
  const app = `http://127.0.0.1:${port}`;
  await signInAsAdmin(page);
  const id = await createResource(page, resource, `ledgerly-${t}`, 'Books and invoices.');
  const owner = await addOwner(page, browser, javaScriptEnabled, id, `otto-ledgerly-${t}@example.com`, 'Otto Owner');
  // An invalid address is refused beside its field, and nothing is registered.
  await page.goto(`/admin/resources/${id}/sign-in`);
  await waitForHydration(page, javaScriptEnabled);
  await page.getByLabel('Return addresses').fill('http://ledgerly.example/callback');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('"http://ledgerly.example/callback" must use https')).toBeVisible();
  await expect(page.getByText('Enter the address where people sign in to the app.')).toBeVisible();
  const { clientId, secret } = await registerApp(page, javaScriptEnabled, `/admin/resources/${id}`, app, 'confidential', true);
  await expectAccessible(page, javaScriptEnabled);
  await screenshot(page, 'app-registration', info.project.name);
  const sample = await startSampleApp(port, clientId, secret);
  try {
    const { page: rita } = await newPerson(browser, javaScriptEnabled);
    await rita.goto(`${app}/`);
    await rita.getByRole('link', { name: 'Sign in with Portico' }).click();
    await expect(rita.getByRole('heading', { name: 'Sign in', exact: true })).toBeVisible();
    await screenshot(rita, 'app-sign-in-new-partner', info.project.name);
    await rita.getByRole('link', { name: 'Request access to the app' }).click();
    await expect(rita.getByRole('heading', { name: `Request access to ${resource}` })).toBeVisible();
    await requestAccess(rita, resource, partner, 'Rita Partner');
    await expect(rita.getByRole('heading', { name: 'Request received' })).toBeVisible();

    await decide(owner.page, 'Rita Partner', 'Approve');
    const invitation = await waitForEmail(partner, `You are invited to ${resource}`);
    await rita.goto(linkIn(invitation, '/invite/'));
    await acceptAsNewPartner(rita, 'Rita Partner', partner);
    await expect(rita.getByRole('link', { name: `Open ${resource}` })).toHaveAttribute('href', `${app}/login`);
    await screenshot(rita, 'my-access-launcher', info.project.name);
    await rita.getByRole('link', { name: `Continue to ${resource}` }).click();

    // Back in the app, signed in: it read the ID token and userinfo.
    await expect(rita.getByTestId('who')).toHaveText(`Rita Partner (${partner})`);
    await expect(rita.getByTestId('claims')).toContainText(`"email": "${partner}"`);
    await expect(rita.getByTestId('claims')).toContainText(`"iss": "${runInfo().baseURL}"`);
    await rita.getByRole('link', { name: 'Refresh' }).click();
    await expect(rita.getByText('Refreshed.')).toBeVisible();

    // Signing out of the app signs out of Portico, and comes back to the app.
    await rita.getByRole('link', { name: 'Sign out' }).click();
    await expect(rita.getByRole('heading', { name: 'Signed out' })).toBeVisible();
    await rita.goto('/my-access');
    await expect(rita.getByRole('heading', { name: 'Please sign in' })).toBeVisible();
  } finally {
    sample.kill();
  }
});

test('an app of another party asks consent, uses PKCE without a secret, and loses a revoked member', async ({ page, browser, javaScriptEnabled }, info) => {
  const t = tag(info);
  const resource = `Tally ${t}`;
  const partner = `sam-tally-${t}@partner.example`;
  const port = await freePort();
  const app = `http://127.0.0.1:${port}`;
  await signInAsAdmin(page);
  const id = await createResource(page, resource, `tally-${t}`, 'Time sheets.');
  const owner = await addOwner(page, browser, javaScriptEnabled, id, `tess-tally-${t}@example.com`, 'Tess Owner');
  const { page: sam } = await newPerson(browser, javaScriptEnabled);
  await requestAccess(sam, resource, partner, 'Sam Partner');
  await decide(owner.page, 'Sam Partner', 'Approve');
  await sam.goto(linkIn(await waitForEmail(partner, `You are invited to ${resource}`), '/invite/'));
  await acceptAsNewPartner(sam, 'Sam Partner', partner);

  // The admins let owners register their apps: the owner registers this one herself.
  await page.goto('/admin/settings');
  await waitForHydration(page, javaScriptEnabled);
  await page.getByLabel('Owners may register their apps’ sign-in').check();
  await page.getByRole('button', { name: 'Save app sign-in' }).click();
  await expect(page.getByText('Saved. Who may register apps is changed.')).toBeVisible();
  const { clientId } = await registerApp(owner.page, javaScriptEnabled, `/resources/${id}`, app, 'public', false);
  await expect(owner.page.getByText('Public (uses PKCE, no secret)')).toBeVisible();
  await expect(owner.page.getByRole('link', { name: resource })).toHaveAttribute('href', `/resources/${id}`);
  await screenshot(owner.page, 'app-registration-by-owner', info.project.name);
  await owner.page.goto(`/resources/${id}`);
  await screenshot(owner.page, 'owner-resource-with-app-sign-in', info.project.name);
  const sample = await startSampleApp(port, clientId, '');
  try {
    await sam.goto(`${app}/`);
    await sam.getByRole('link', { name: 'Sign in with Portico' }).click();
    await expect(sam.getByRole('heading', { name: `${resource} wants to sign you in` })).toBeVisible();
    await expect(sam.getByText('the groups you belong to here')).toBeVisible();
    await expectAccessible(sam, javaScriptEnabled);
    await screenshot(sam, 'app-consent', info.project.name);
    await sam.getByRole('button', { name: 'Allow', exact: true }).click();
    await expect(sam.getByTestId('who')).toHaveText(`Sam Partner (${partner})`);

    // The consent is listed on the account page.
    await sam.goto('/account');
    await expect(sam.getByRole('heading', { name: 'Apps you allowed' })).toBeVisible();
    await expect(sam.getByText(resource)).toBeVisible();
    await screenshot(sam, 'account-apps-allowed', info.project.name);

    // The owner revokes the membership: the app's next refresh is refused.
    await owner.page.goto(`/resources/${id}`);
    await owner.page.getByRole('button', { name: `Revoke: ${partner}` }).click();
    await expect(owner.page.getByText('Access revoked; the partner was told by email.')).toBeVisible();
    await sam.goto(`${app}/refresh`);
    await expect(sam.getByText('Refresh failed: invalid_grant')).toBeVisible();
    // Asking again shows the way to ask for access.
    await sam.goto(`${app}/login`);
    await expect(sam.getByRole('heading', { name: `You don't have access to ${resource} yet` })).toBeVisible();
    await expectAccessible(sam, javaScriptEnabled);
    await screenshot(sam, 'app-no-access', info.project.name);
    await expect(sam.getByRole('link', { name: 'Request access' })).toHaveAttribute('href', `/request/tally-${t}`);
  } finally {
    sample.kill();
  }
});
