import { test, expect, type Page } from '@playwright/test';
import { expectAccessible, expectNoAppScript, screenshot, waitForHydration } from '../support/people';
import { allEmails, linkIn, waitForEmail } from '../support/mail';
import { acceptAsNewPartner, addOwner, createResource, newPerson, setPolicy, signInAsAdmin, tag } from '../support/portal';

/** The owner's page for one resource, reached through the navigation. */
async function openMyResource(page: Page, resource: string, project: string) {
  await page.getByRole('navigation').getByRole('link', { name: 'My resources' }).click();
  await expect(page.getByRole('heading', { name: 'My resources' })).toBeVisible();
  await screenshot(page, 'my-resources', project);
  await page.getByRole('link', { name: resource }).click();
  await expect(page.getByRole('heading', { name: resource, level: 1 })).toBeVisible();
}

async function invite(page: Page, email: string, name: string, message = '') {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Name', { exact: true }).fill(name);
  if (message) await page.getByLabel('Message (optional)').fill(message);
  await page.getByRole('button', { name: 'Send invitation' }).click();
}

test("an owner's direct invite is redeemed by the partner", async ({ page, browser, javaScriptEnabled }, info) => {
  const t = tag(info);
  const resource = `Atlas ${t}`;
  const partner = `ivy-${t}@partner.example`;
  await signInAsAdmin(page);
  const id = await createResource(page, resource, `atlas-${t}`, 'Maps of every site.');
  await setPolicy(page, id, async (policy) => {
    await policy.getByLabel('Denied domains').fill('rival.example');
  });
  const owner = await addOwner(page, browser, javaScriptEnabled, id, `oscar-${t}@example.com`, 'Oscar Owner');

  await openMyResource(owner.page, resource, info.project.name);
  await expect(owner.page.getByText('Nobody has access yet.')).toBeVisible();
  await waitForHydration(owner.page, javaScriptEnabled);
  // A denied domain is refused beside the field, and what was typed stays.
  await invite(owner.page, `eve-${t}@rival.example`, 'Eve Rival');
  await expect(owner.page.getByText(/Addresses at rival\.example are denied/)).toBeVisible();
  await expect(owner.page.getByLabel('Email')).toHaveValue(`eve-${t}@rival.example`);
  await expect(owner.page.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true');

  await invite(owner.page, partner, 'Ivy Partner', 'The maps you asked about.');
  await expect(owner.page.getByText('Invitation sent.')).toBeVisible();
  await expect(owner.page.getByLabel('Email'), 'the form is ready for the next partner').toHaveValue('');
  const waiting = owner.page.getByRole('table', { name: 'Pending invitations' });
  await expect(waiting.getByRole('row', { name: new RegExp(partner) })).toContainText('Direct invite');
  await expectAccessible(owner.page, javaScriptEnabled);
  await screenshot(owner.page, 'resource-people', info.project.name);

  const { page: ivy } = await newPerson(browser, javaScriptEnabled);
  const email = await waitForEmail(partner, `You are invited to ${resource}`);
  expect(email.text).toContain('The maps you asked about.');
  await ivy.goto(linkIn(email, '/invite/'));
  await expect(ivy.getByRole('heading', { name: `Oscar Owner invites you to ${resource}` })).toBeVisible();
  await expectNoAppScript(ivy);
  await acceptAsNewPartner(ivy, 'Ivy Partner', partner);
  await expect(ivy.getByRole('list', { name: 'Resources you can use' }).getByRole('listitem').filter({ hasText: resource })).toBeVisible();

  await owner.page.reload();
  const members = owner.page.getByRole('table', { name: 'Members' });
  await expect(members.getByRole('row', { name: new RegExp(partner) })).toContainText('Direct invite');
  await expect(owner.page.getByText('No invitation is waiting to be accepted.')).toBeVisible();
});

test('resend makes the old link fail and the new one work; a revoked member loses the resource', async ({ page, browser, javaScriptEnabled }, info) => {
  const t = tag(info);
  const resource = `Quill ${t}`;
  const partner = `max-${t}@partner.example`;
  await signInAsAdmin(page);
  const id = await createResource(page, resource, `quill-${t}`, 'The books.');
  const owner = await addOwner(page, browser, javaScriptEnabled, id, `rita-${t}@example.com`, 'Rita Owner');
  await openMyResource(owner.page, resource, info.project.name);
  await invite(owner.page, partner, 'Max Partner');
  await expect(owner.page.getByText('Invitation sent.')).toBeVisible();
  const first = await waitForEmail(partner, `You are invited to ${resource}`);

  await owner.page.getByRole('button', { name: `Resend: ${partner}` }).click();
  await expect(owner.page.getByText('Invitation sent again with a new link')).toBeVisible();
  await expect
    .poll(() => allEmails().filter((m) => m.to.includes(partner) && m.subject.includes(resource)).length)
    .toBe(2);
  const second = await waitForEmail(partner, `You are invited to ${resource}`);
  expect(linkIn(second, '/invite/')).not.toBe(linkIn(first, '/invite/'));

  const { page: max } = await newPerson(browser, javaScriptEnabled);
  await max.goto(linkIn(first, '/invite/'));
  await expect(max.getByRole('heading', { name: 'This invitation link does not work' })).toBeVisible();
  await screenshot(max, 'invitation-replaced', info.project.name);
  await max.goto(linkIn(second, '/invite/'));
  await expectNoAppScript(max);
  await acceptAsNewPartner(max, 'Max Partner', partner);
  const held = max.getByRole('list', { name: 'Resources you can use' });
  await expect(held.getByRole('listitem').filter({ hasText: resource })).toBeVisible();

  await owner.page.reload();
  await owner.page.getByRole('button', { name: `Revoke: ${partner}` }).click();
  await expect(owner.page.getByText('Access revoked; the partner was told by email.')).toBeVisible();
  await expect(owner.page.getByText('Nobody has access yet.')).toBeVisible();
  await waitForEmail(partner, `Your access to ${resource} has been ended`);
  await max.reload();
  await expect(max.getByRole('heading', { name: 'My access' })).toBeVisible();
  await expect(max.getByText('You have no access yet.')).toBeVisible();
});
