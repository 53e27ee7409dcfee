import { test, expect } from '@playwright/test';
import { expectAccessible, screenshot, waitForHydration } from '../support/people';
import { acceptAsNewPartner, addOwner, createResource, newPerson, requestAccess, setPolicy, signInAsAdmin, tag } from '../support/portal';
import { linkIn, waitForEmail } from '../support/mail';
import { authenticatorCode, recoveryCodesOnPage, secretOnPage } from '../support/authenticator';

test('a resource that asks for a second step: its owner adds an app on the way, then decides', async ({ page, browser, javaScriptEnabled }, info) => {
  test.setTimeout(120_000);
  const t = tag(info);
  const project = info.project.name;
  const resource = `Safe deposit ${t}`;
  await signInAsAdmin(page);
  const id = await createResource(page, resource, `safe-deposit-${t}`, 'Where the secrets are kept.');
  await setPolicy(page, id, async (policy) => {
    await policy.getByLabel('Ask for a second factor to use this').check();
  });
  await page.goto(`/admin/resources/${id}/policy`);
  await expect(page.getByLabel('Ask for a second factor to use this')).toBeChecked();
  const { page: vera } = await addOwner(page, browser, javaScriptEnabled, id, `vera-${t}@vault.example`, `Vera Vault ${t}`);

  const partner = await newPerson(browser, javaScriptEnabled);
  await requestAccess(partner.page, resource, `bo-${t}@partner.example`, 'Bo Partner');
  await waitForEmail(`bo-${t}@partner.example`, `We received your request for ${resource}`);

  // The request shows, but the decision waits for a second step.
  await vera.goto('/review');
  await vera.getByRole('link', { name: 'Review the request of Bo Partner' }).click();
  await expect(vera.getByText('This resource asks for a second sign-in step before its requests are decided.')).toBeVisible();
  await expect(vera.getByRole('button', { name: 'Approve', exact: true })).toHaveCount(0);
  await screenshot(vera, 'review-second-step-first', project);
  await vera.getByRole('link', { name: 'Confirm it is you' }).click();

  // Vera has no app yet: she is led through adding one, and comes back to the request.
  await expect(vera.getByRole('heading', { name: 'Second step' })).toBeVisible();
  await expect(vera.getByText('your account has none yet')).toBeVisible();
  await waitForHydration(vera, javaScriptEnabled);
  await expectAccessible(vera, javaScriptEnabled);
  await screenshot(vera, 'second-step-enrol-first', project);
  await vera.getByRole('link', { name: 'Add an authenticator app' }).click();
  const secret = await secretOnPage(vera);
  await waitForHydration(vera, javaScriptEnabled);
  await vera.getByLabel('Code from the app').fill(authenticatorCode(secret));
  await vera.getByRole('button', { name: 'Add the app' }).click();
  await expect(vera.getByRole('heading', { name: 'Your recovery codes' })).toBeVisible();
  expect(await recoveryCodesOnPage(vera)).toHaveLength(10);
  await vera.getByRole('link', { name: 'I have kept them' }).click();
  await expect(vera.getByText('I maintain our integration with this app.')).toBeVisible();
  await waitForHydration(vera, javaScriptEnabled);
  await vera.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(vera.getByText('Approved: the partner has been invited.')).toBeVisible();
  await waitForEmail(`bo-${t}@partner.example`, `You are invited to ${resource}`);
  await partner.context.close();
});

test('an admin asks a role, or one person, for a second step', async ({ page, browser, javaScriptEnabled }, info) => {
  test.setTimeout(120_000);
  const t = tag(info);
  const project = info.project.name;
  const resource = `Turnstile ${t}`;
  const partnerEmail = `pia-${t}@partner.example`;
  await signInAsAdmin(page);
  const id = await createResource(page, resource, `turnstile-${t}`, 'The books.');
  await setPolicy(page, id, async (policy) => {
    await policy.getByLabel('Auto-approve domains').fill('partner.example');
  });
  const { page: lee } = await addOwner(page, browser, javaScriptEnabled, id, `lee-${t}@turnstile.example`, `Lee Turnstile ${t}`);
  // A partner with access, signed in.
  const pia = await newPerson(browser, javaScriptEnabled);
  await requestAccess(pia.page, resource, partnerEmail, 'Pia Partner');
  const invitation = await waitForEmail(partnerEmail, `You are invited to ${resource}`);
  await pia.page.goto(linkIn(invitation, '/invite/'));
  await acceptAsNewPartner(pia.page, 'Pia Partner', partnerEmail);

  // The role: partners. Pia, signed in before, is asked from her next page on.
  await page.goto('/admin/settings');
  await waitForHydration(page, javaScriptEnabled);
  const partnersBox = () => page.locator('#second-factors').getByLabel('Ask partners for a second step');
  const save = async () => {
    await page.locator('#second-factors').getByRole('button', { name: 'Save second step' }).click();
    await expect(page.getByText('Saved. The people you ticked are asked for a second step')).toBeVisible();
  };
  await expect(page.locator('#second-factors').getByRole('heading', { name: 'Second sign-in step' })).toBeVisible();
  await expect(page.locator('#second-factors').getByLabel('Ask admins for a second step')).not.toBeChecked();
  await partnersBox().check();
  await save();
  try {
    await expect(partnersBox()).toBeChecked();
    await screenshot(page, 'settings-second-step', project);
    await pia.page.goto('/my-access');
    await expect(pia.page.getByRole('heading', { name: 'Confirm it is you' })).toBeVisible();
    await screenshot(pia.page, 'step-up-asked', project);
    await pia.page.getByRole('link', { name: 'Continue' }).click();
    await expect(pia.page).toHaveURL(/\/sign-in\/second-factor\?next=%2Fmy-access|\/sign-in\/second-factor\?next=\/my-access/);
    await expect(pia.page.getByRole('link', { name: 'Add an authenticator app' })).toBeVisible();
    // Staff are not asked.
    await lee.goto('/review');
    await expect(lee.getByRole('heading', { name: 'Review requests' })).toBeVisible();
  } finally {
    // Every other spec signs partners in with one step.
    await page.goto('/admin/settings');
    await waitForHydration(page, javaScriptEnabled);
    await partnersBox().uncheck();
    await save();
  }
  await pia.page.goto('/my-access');
  await expect(pia.page.getByRole('heading', { name: 'My access' })).toBeVisible();
  await pia.context.close();

  // One person: the admin asks it of Lee on the account page, then stops.
  await page.goto('/admin/accounts');
  await page.getByLabel('Search').fill(`lee-${t}@turnstile.example`);
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('link', { name: `Lee Turnstile ${t}` }).click();
  await waitForHydration(page, javaScriptEnabled);
  await page.getByRole('button', { name: 'Require a second step of this person' }).click();
  await expect(page.getByText('A second sign-in step is required of this person')).toBeVisible();
  await screenshot(page, 'admin-requires-second-step', project);
  await lee.goto('/review');
  await expect(lee.getByRole('heading', { name: 'Confirm it is you' })).toBeVisible();
  await page.getByRole('button', { name: 'Stop requiring it of this person' }).click();
  await expect(page.getByText('This person is asked for a second sign-in step only when')).toBeVisible();
  await lee.goto('/review');
  await expect(lee.getByRole('heading', { name: 'Review requests' })).toBeVisible();
});
