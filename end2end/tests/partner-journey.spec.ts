import { test, expect } from '@playwright/test';
import { expectAccessible, expectNoAppScript, screenshot, waitForHydration } from '../support/people';
import { codeSentBy, linkIn, waitForEmail } from '../support/mail';
import {
  addOwner, createResource, decide, expireInvitationsFor, newPerson, requestAccess, setPolicy,
  signInAsAdmin, tag,
} from '../support/portal';

test('a partner asks, the owner approves, the partner accepts and sees the access', async ({ page, browser, javaScriptEnabled }, info) => {
  const t = tag(info);
  const resource = `CRM ${t}`;
  const partner = `ann-${t}@partner.example`;
  await signInAsAdmin(page);
  const id = await createResource(page, resource, `crm-${t}`, 'Customer records and the sales pipeline.');
  await screenshot(page, 'admin-resource', info.project.name);
  const owner = await addOwner(page, browser, javaScriptEnabled, id, `olga-${t}@example.com`, 'Olga Owner');

  // The partner finds the resource in the catalog and asks.
  const { page: ann } = await newPerson(browser, javaScriptEnabled);
  await ann.goto('/');
  await expectNoAppScript(ann);
  await screenshot(ann, 'catalog', info.project.name);
  await requestAccess(ann, resource, partner, 'Ann Example');
  await expect(ann.getByRole('heading', { name: 'Request received' })).toBeVisible();
  await screenshot(ann, 'request-received', info.project.name);
  const received = await waitForEmail(partner, `We received your request for ${resource}`);
  await ann.goto(linkIn(received, '/status/'));
  await expect(ann.getByText('Waiting for a decision')).toBeVisible();
  await screenshot(ann, 'request-status', info.project.name);

  // The owner reviews it.
  await owner.page.goto('/review');
  await expect(owner.page.getByRole('link', { name: 'Review the request of Ann Example' })).toBeVisible();
  await screenshot(owner.page, 'review-queue', info.project.name);
  await owner.page.getByRole('link', { name: 'Review the request of Ann Example' }).click();
  await expect(owner.page.getByText('I maintain our integration with this app.')).toBeVisible();
  await waitForHydration(owner.page, javaScriptEnabled);
  await expectAccessible(owner.page, javaScriptEnabled);
  await screenshot(owner.page, 'review-request', info.project.name);
  await owner.page.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(owner.page.getByText('Approved: the partner has been invited.')).toBeVisible();

  // The invitation arrives; the partner proves the address with a code and lands on My access.
  const invitation = await waitForEmail(partner, `You are invited to ${resource}`);
  await ann.goto(linkIn(invitation, '/invite/'));
  await expect(ann.getByRole('heading', { name: `Olga Owner invites you to ${resource}` })).toBeVisible();
  await expectNoAppScript(ann);
  await expectAccessible(ann, javaScriptEnabled);
  await screenshot(ann, 'invitation', info.project.name);
  await expect(ann.getByLabel('Choose a password'), 'new partners use codes, not passwords').toHaveCount(0);
  const code = await codeSentBy(partner, () => ann.getByRole('button', { name: 'Email me a code' }).click());
  await expect(ann.getByText(`We have sent a code to ${partner}`)).toBeVisible();
  await expect(ann.getByLabel('Full name'), 'the name from the request').toHaveValue('Ann Example');
  await expect(ann.getByLabel('Code', { exact: true })).toHaveAttribute('autocomplete', 'one-time-code');
  await expectAccessible(ann, javaScriptEnabled);
  await screenshot(ann, 'invitation-code', info.project.name);
  await ann.getByLabel('Code', { exact: true }).fill(code);
  await ann.getByRole('button', { name: 'Accept the invitation' }).click();
  await expect(ann.getByRole('heading', { name: 'My access' })).toBeVisible();
  const held = ann.getByRole('list', { name: 'Resources you can use' });
  await expect(held.getByRole('listitem').filter({ hasText: resource })).toBeVisible();
  await expect(ann.getByRole('table', { name: 'Your requests' }).getByRole('row', { name: new RegExp(`${resource}.*Approved`) })).toBeVisible();
  await expect(ann.getByRole('navigation', { name: 'Main' }).getByText('Ann Example')).toBeVisible();
  await screenshot(ann, 'my-access', info.project.name);

  // Leaving ends the membership.
  await ann.getByRole('button', { name: `Leave ${resource}` }).click();
  await expect(ann.getByText('Done: you no longer have that access.')).toBeVisible();
  await expect(ann.getByText('You have no access yet.')).toBeVisible();
});

test('a two-stage policy needs both stages before the invitation', async ({ page, browser, javaScriptEnabled }, info) => {
  const t = tag(info);
  const resource = `Billing ${t}`;
  const partner = `bo-${t}@partner.example`;
  await signInAsAdmin(page);
  const id = await createResource(page, resource, `billing-${t}`, 'Invoices and payments.');
  const olga = await addOwner(page, browser, javaScriptEnabled, id, `olga-billing-${t}@example.com`, 'Olga Owner');
  const sam = await addOwner(page, browser, javaScriptEnabled, id, `sam-${t}@example.com`, 'Sam Security');
  await setPolicy(page, id, async (p) => {
    await p.getByLabel('Approval stages').selectOption('2');
    const stage2 = p.getByRole('group', { name: 'Stage 2' });
    await stage2.getByLabel('Approvers').selectOption('named');
    await stage2.getByLabel('Named staff (emails)').fill(`sam-${t}@example.com`);
    await screenshot(p, 'policy-two-stages', info.project.name);
  });

  const { page: bo } = await newPerson(browser, javaScriptEnabled);
  await requestAccess(bo, resource, partner, 'Bo Partner');
  await expect(bo.getByRole('heading', { name: 'Request received' })).toBeVisible();

  await decide(olga.page, 'Bo Partner', 'Approve', 'Known partner.');
  await expect(olga.page.getByText('moves on to its next approval stage')).toBeVisible();
  await waitForEmail(`sam-${t}@example.com`, `Bo Partner asks for access to ${resource}`);
  await sam.page.goto('/review');
  await sam.page.getByRole('link', { name: 'Review the request of Bo Partner' }).click();
  await expect(sam.page.getByText('Known partner.')).toBeVisible();
  await sam.page.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(sam.page.getByText('Approved: the partner has been invited.')).toBeVisible();
  await waitForEmail(partner, `You are invited to ${resource}`);
});

test('an auto-approve domain gets an invitation at once', async ({ page, browser, javaScriptEnabled }, info) => {
  const t = tag(info);
  const resource = `Wiki ${t}`;
  await signInAsAdmin(page);
  const id = await createResource(page, resource, `wiki-${t}`, 'Shared documentation.');
  await setPolicy(page, id, async (p) => {
    await p.getByLabel('Auto-approve domains').fill('trusted.example');
  });
  const { page: cy } = await newPerson(browser, javaScriptEnabled);
  await requestAccess(cy, resource, `cy-${t}@trusted.example`, 'Cy Trusted');
  await expect(cy.getByRole('heading', { name: 'Check your email' })).toBeVisible();
  await screenshot(cy, 'auto-approved', info.project.name);
  await waitForEmail(`cy-${t}@trusted.example`, `You are invited to ${resource}`);
});

test('a denied domain is refused with a clear reason, and the form keeps what was typed', async ({ page, browser, javaScriptEnabled }, info) => {
  const t = tag(info);
  const resource = `Roadmap ${t}`;
  await signInAsAdmin(page);
  const id = await createResource(page, resource, `roadmap-${t}`, 'What we build next.');
  await setPolicy(page, id, async (p) => {
    await p.getByLabel('Denied domains').fill('rival.example');
  });
  const { page: eve } = await newPerson(browser, javaScriptEnabled);
  await requestAccess(eve, resource, `eve-${t}@rival.example`, 'Eve Rival');
  await expect(eve.getByRole('alert')).toContainText(`Addresses at rival.example cannot request access to ${resource}`);
  await expect(eve.getByLabel('Full name')).toHaveValue('Eve Rival');
  await screenshot(eve, 'request-refused', info.project.name);
});

test('a denial reaches the partner with the reason', async ({ page, browser, javaScriptEnabled }, info) => {
  const t = tag(info);
  const resource = `Payroll ${t}`;
  const partner = `dan-${t}@partner.example`;
  await signInAsAdmin(page);
  const id = await createResource(page, resource, `payroll-${t}`, 'Salaries.');
  const owner = await addOwner(page, browser, javaScriptEnabled, id, `olga-payroll-${t}@example.com`, 'Olga Owner');
  const { page: dan } = await newPerson(browser, javaScriptEnabled);
  await requestAccess(dan, resource, partner, 'Dan Partner');
  await expect(dan.getByRole('heading', { name: 'Request received' })).toBeVisible();

  // Denying without a reason is refused next to the field.
  await owner.page.goto('/review');
  await owner.page.getByRole('link', { name: 'Review the request of Dan Partner' }).click();
  await owner.page.getByRole('button', { name: 'Deny', exact: true }).click();
  await expect(owner.page.getByText('Say why you deny the request')).toBeVisible();
  await screenshot(owner.page, 'deny-needs-reason', info.project.name);
  await owner.page.getByLabel('Justification').fill('Payroll stays internal.');
  await owner.page.getByRole('button', { name: 'Deny', exact: true }).click();
  await expect(owner.page.getByText('Denied: the partner has been told')).toBeVisible();

  const denial = await waitForEmail(partner, `Your request for ${resource} was not approved`);
  expect(denial.text).toContain('Payroll stays internal.');
  const received = await waitForEmail(partner, `We received your request for ${resource}`);
  await dan.goto(linkIn(received, '/status/'));
  await expect(dan.getByText('Payroll stays internal.')).toBeVisible();
  await expect(dan.getByRole('link', { name: 'Ask again' })).toBeVisible();
  await screenshot(dan, 'request-denied', info.project.name);
});

test('an expired invitation link says so and offers to ask again', async ({ page, browser, javaScriptEnabled }, info) => {
  const t = tag(info);
  const resource = `Archive ${t}`;
  const partner = `fay-${t}@late.example`;
  await signInAsAdmin(page);
  const id = await createResource(page, resource, `archive-${t}`, 'Old records.');
  await setPolicy(page, id, async (p) => {
    await p.getByLabel('Auto-approve domains').fill('late.example');
  });
  const { page: fay } = await newPerson(browser, javaScriptEnabled);
  await requestAccess(fay, resource, partner, 'Fay Late');
  const invitation = await waitForEmail(partner, `You are invited to ${resource}`);
  expireInvitationsFor(partner);
  const response = await fay.goto(linkIn(invitation, '/invite/'));
  expect(response?.status()).toBe(410);
  await expect(fay.getByRole('heading', { name: 'This invitation has expired' })).toBeVisible();
  await expect(fay.getByRole('link', { name: 'Ask for access again' })).toBeVisible();
  await screenshot(fay, 'invitation-expired', info.project.name);
});
