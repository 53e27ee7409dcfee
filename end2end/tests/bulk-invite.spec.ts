import { test, expect } from '@playwright/test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expectAccessible, screenshot, waitForHydration } from '../support/people';
import { waitForEmail } from '../support/mail';
import { addOwner, createResource, setPolicy, signInAsAdmin, tag } from '../support/portal';

test('a bulk CSV with valid and invalid rows: report, progress to the end, invitations arrive', async ({ page, browser, javaScriptEnabled }, info) => {
  const t = tag(info);
  const resource = `Harbour ${t}`;
  await signInAsAdmin(page);
  const id = await createResource(page, resource, `harbour-${t}`, 'Berths and tides.');
  await setPolicy(page, id, async (policy) => {
    await policy.getByLabel('Denied domains').fill('rival.example');
  });
  const owner = await addOwner(page, browser, javaScriptEnabled, id, `nell-${t}@example.com`, 'Nell Owner');

  const good = Array.from({ length: 12 }, (_, i) => `p${i}-${t}@partner.example,Partner ${i}`);
  const csv = ['email,name,message', ...good, 'not-an-email,Nobody', `eve-${t}@rival.example,Eve Rival`, `${good[0]}`].join('\n');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'portico-')), 'partners.csv');
  fs.writeFileSync(file, csv);

  await owner.page.goto(`/resources/${id}`);
  await owner.page.getByRole('link', { name: 'Invite many (CSV)' }).click();
  await expect(owner.page.getByRole('heading', { name: 'Invite many partners' })).toBeVisible();
  await waitForHydration(owner.page, javaScriptEnabled);
  await owner.page.getByLabel('CSV file').setInputFiles(file);
  await owner.page.getByRole('button', { name: 'Upload and check' }).click();

  await expect(owner.page.getByRole('heading', { name: 'partners.csv' })).toBeVisible();
  await expect(owner.page.getByText('12 will be invited; 3 will not')).toBeVisible();
  const rows = owner.page.getByRole('table', { name: 'Rows' });
  await expect(rows.getByRole('row', { name: /not-an-email/ })).toContainText('Invalid email');
  await expect(rows.getByRole('row', { name: /rival\.example/ })).toContainText('Denied domain');
  await expect(rows.getByRole('row', { name: /Listed twice/ })).toBeVisible();
  await waitForHydration(owner.page, javaScriptEnabled);
  await expectAccessible(owner.page, javaScriptEnabled);
  await screenshot(owner.page, 'bulk-report', info.project.name);

  await owner.page.getByRole('button', { name: 'Send the invitations (12)' }).click();
  await expect(owner.page.getByText(/12 of 12 done · 0 failed · 0 remaining/)).toBeVisible({ timeout: 20_000 });
  await expect(owner.page.locator('#bulk-progress')).toHaveAttribute('value', '12');
  await expect(owner.page.getByText('Done', { exact: true })).toBeVisible();
  await screenshot(owner.page, 'bulk-progress', info.project.name);
  await waitForEmail(`p0-${t}@partner.example`, `You are invited to ${resource}`);
  await waitForEmail(`p11-${t}@partner.example`, `You are invited to ${resource}`);

  // The same file again invites nobody twice.
  await owner.page.goto(`/resources/${id}/bulk`);
  await owner.page.getByLabel('CSV file').setInputFiles(file);
  await owner.page.getByRole('button', { name: 'Upload and check' }).click();
  await expect(owner.page.getByText('0 will be invited; 15 will not')).toBeVisible();
  await expect(owner.page.getByRole('button', { name: /^Send/ })).toHaveCount(0);
});

test('an empty paste is refused beside the field', async ({ page, browser, javaScriptEnabled }, info) => {
  const t = tag(info);
  await signInAsAdmin(page);
  const id = await createResource(page, `Pier ${t}`, `pier-${t}`, 'Moorings.');
  await page.goto(`/resources/${id}/bulk`);
  await waitForHydration(page, javaScriptEnabled);
  await page.getByLabel('Paste the list').fill('   ');
  await page.getByRole('button', { name: 'Check the list' }).click();
  await expect(page.getByText('The list is empty')).toBeVisible();
  await expect(page.getByLabel('Paste the list')).toHaveAttribute('aria-invalid', 'true');
  await screenshot(page, 'bulk-form', info.project.name);
});
