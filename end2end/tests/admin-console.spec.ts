import { test, expect } from '@playwright/test';
import { expectAccessible, screenshot, waitForHydration } from '../support/people';
import { linkIn, waitForEmail } from '../support/mail';
import { acceptAsNewPartner, addOwner, createResource, newPerson, requestAccess, setPolicy, signInAsAdmin, tag, openAdminPage } from '../support/portal';

test('the dashboard chart renders today\'s requests and redemptions', async ({ page, browser, javaScriptEnabled }, info) => {
  const t = tag(info);
  const resource = `Marina ${t}`;
  const quick = `kai-${t}@auto.example`;
  await signInAsAdmin(page);
  const id = await createResource(page, resource, `marina-${t}`, 'Berths and tides.');
  await setPolicy(page, id, async (p) => {
    await p.getByLabel('Auto-approve domains').fill('auto.example');
  });
  // One request approved by the policy and redeemed today.
  const { page: kai } = await newPerson(browser, javaScriptEnabled);
  await requestAccess(kai, resource, quick, 'Kai Quick');
  await kai.goto(linkIn(await waitForEmail(quick, `You are invited to ${resource}`), '/invite/'));
  await acceptAsNewPartner(kai, 'Kai Quick', quick);

  await openAdminPage(page, 'Dashboard');
  await expect(page.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible();
  const chart = page.locator('svg#activity-chart');
  await expect(chart).toBeVisible();
  await expect(chart.locator('g.chart-day')).toHaveCount(30);
  const today = chart.locator('g.chart-day').last();
  expect(Number(await today.getAttribute('data-requests'))).toBeGreaterThanOrEqual(1);
  expect(Number(await today.getAttribute('data-redemptions'))).toBeGreaterThanOrEqual(1);
  // The bars are drawn: today's have height; the chart has a size on the page.
  expect(Number(await today.locator('rect.chart-requests').getAttribute('height'))).toBeGreaterThan(0);
  expect(Number(await today.locator('rect.chart-redemptions').getAttribute('height'))).toBeGreaterThan(0);
  const box = await chart.boundingBox();
  expect(box?.width ?? 0).toBeGreaterThan(300);
  expect(box?.height ?? 0).toBeGreaterThan(100);
  await expect(chart).toHaveAttribute('aria-label', /^Bar chart of the last 30 days: requests \d+, redemptions \d+\.$/);
  await waitForHydration(page, javaScriptEnabled);
  await expectAccessible(page, javaScriptEnabled);
  await screenshot(page, 'dashboard', info.project.name);
});

test('an admin decides in place of an absent owner, then resends and revokes the invitation', async ({ page, browser, javaScriptEnabled }, info) => {
  const t = tag(info);
  const resource = `Quarry ${t}`;
  const partner = `lea-${t}@partner.example`;
  await signInAsAdmin(page);
  const id = await createResource(page, resource, `quarry-${t}`, 'Stone orders.');
  await addOwner(page, browser, javaScriptEnabled, id, `otto-${t}@example.com`, 'Otto Away');
  const { page: lea } = await newPerson(browser, javaScriptEnabled);
  await requestAccess(lea, resource, partner, 'Lea Waiting');
  await expect(lea.getByRole('heading', { name: 'Request received' })).toBeVisible();

  await openAdminPage(page, 'Requests');
  await expect(page.getByRole('heading', { name: 'Requests', level: 1 })).toBeVisible();
  // A filter that cannot be used says so by the field.
  await page.getByLabel('Created from').fill('2027-03-02');
  await page.getByLabel('Created to').fill('2027-03-01');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page.getByText('The end date must not be before the start date.')).toBeVisible();
  await page.getByRole('link', { name: 'Clear' }).click();
  await page.getByLabel('State').selectOption('pending');
  await page.getByLabel('Email contains').fill(partner);
  await page.getByRole('button', { name: 'Filter' }).click();
  const row = page.getByRole('row', { name: new RegExp(partner) });
  await expect(row).toContainText(resource);
  await expect(row).toContainText('Waiting for a decision');
  await waitForHydration(page, javaScriptEnabled);
  await expectAccessible(page, javaScriptEnabled);
  await screenshot(page, 'admin-requests', info.project.name);

  await page.getByRole("link", { name: `Lea Waiting: the request of ${partner} for ${resource}` }).click();
  await expect(page.locator('#in-place-notice')).toContainText('in place of Otto Away');
  await expect(page.getByText('Asked for access')).toBeVisible();
  await waitForHydration(page, javaScriptEnabled);
  await screenshot(page, 'decide-in-place', info.project.name);
  await page.getByLabel('Justification').fill('Otto is on leave this week.');
  await page.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(page.getByText('Approved: the partner has been invited.')).toBeVisible();
  await expect(page.getByText('In place of Otto Away')).toBeVisible();
  await expect(page.getByText('Decided in place of the approvers (stage 1)')).toBeVisible();
  const first = await waitForEmail(partner, `You are invited to ${resource}`);

  await openAdminPage(page, 'Invitations');
  await page.getByLabel('Email contains').fill(partner);
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page.getByRole('row', { name: new RegExp(partner) })).toContainText('Pending');
  await waitForHydration(page, javaScriptEnabled);
  await expectAccessible(page, javaScriptEnabled);
  await screenshot(page, 'admin-invitations', info.project.name);
  await page.getByRole('button', { name: `Resend: ${partner}` }).click();
  await expect(page.getByText('Invitation sent again with a new link')).toBeVisible();
  await page.getByRole('button', { name: `Revoke: ${partner}` }).click();
  await expect(page.getByText('Invitation revoked; its link no longer works.')).toBeVisible();
  await expect(page.getByRole('row', { name: new RegExp(partner) })).toContainText('Revoked');
  await lea.goto(linkIn(first, '/invite/'));
  await expect(lea.getByRole('heading', { name: 'This invitation link does not work' })).toBeVisible();
});

test('the admin menu fits one row at 1280 px, opens one group at a time, and fits a phone', async ({ page, javaScriptEnabled }, info) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signInAsAdmin(page);
  await page.goto('/admin/audit');
  await waitForHydration(page, javaScriptEnabled);
  const nav = page.getByRole('navigation', { name: 'Admin' });
  const groups = nav.locator('details > summary');
  await expect(groups).toHaveText(['Access', 'Catalogue', 'Integrations', 'System']);
  // One row: every entry starts within a few pixels of the first (a second row is a line lower).
  const tops: number[] = [];
  for (const item of await nav.locator('.admin-menu > li').all()) tops.push((await item.boundingBox())!.y);
  expect(Math.max(...tops) - Math.min(...tops)).toBeLessThan(8);
  // The group of the page one is on is marked.
  await expect(nav.locator('summary.current')).toHaveText('System');

  await nav.getByText('Access', { exact: true }).click();
  await expect(nav.getByRole('link', { name: 'Requests', exact: true })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Accounts', exact: true })).toBeVisible();
  await screenshot(page, 'admin-menu-open', info.project.name);
  // Opening another group closes the first.
  await nav.getByText('Catalogue', { exact: true }).click();
  await expect(nav.getByRole('link', { name: 'Policy', exact: true })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Requests', exact: true })).toBeHidden();
  // Following a link leaves the menu closed on the next page.
  await nav.getByRole('link', { name: 'Policy', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('policy');
  await expect(nav.getByRole('link', { name: 'Resources', exact: true })).toBeHidden();
  await expect(nav.locator('summary.current')).toHaveText('Catalogue');

  await page.setViewportSize({ width: 390, height: 844 });
  await nav.getByText('System', { exact: true }).click();
  await expect(nav.getByRole('link', { name: 'Settings', exact: true })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await screenshot(page, 'admin-menu-phone', info.project.name);
});
