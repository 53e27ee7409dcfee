import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { admin, expectAccessible, screenshot, waitForHydration } from '../support/people';
import { signInAsAdmin, openAdminPage } from '../support/portal';

test('an admin filters the audit log and downloads what they see as CSV', async ({ page, javaScriptEnabled }, info) => {
  await signInAsAdmin(page);
  await openAdminPage(page, 'Audit');
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
  await waitForHydration(page, javaScriptEnabled);

  await page.getByLabel('Who (email)').fill(admin.email);
  await page.getByLabel('Action').selectOption('sign_in.succeeded');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/action=sign_in\.succeeded/);
  const rows = page.locator('table.audit-table tbody tr');
  await expect(rows.first()).toContainText('sign_in.succeeded');
  for (const text of await rows.allTextContents()) {
    expect(text).toContain('sign_in.succeeded');
    expect(text).toContain('Signed in');
    expect(text).toContain(admin.email);
  }
  // Times are written out (in the browser's zone once live), not epoch numbers; details are
  // labelled values, not JSON.
  await expect(rows.first().locator('time')).toHaveAttribute('datetime', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  await expect(rows.first().locator('time')).toHaveText(/^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} \S+$/);
  for (const details of await page.locator('.audit-details').allTextContents()) expect(details).not.toContain('{');
  await expect(page.getByLabel('Action')).toHaveValue('sign_in.succeeded');
  await expectAccessible(page, javaScriptEnabled);
  await screenshot(page, 'audit-log', info.project.name);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^portico-audit-\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = readFileSync((await download.path()) as string, 'utf8').trim().split('\n');
  expect(lines[0]).toBe('id,occurred_at_utc,unix_time,actor,client_ip,action,target_kind,target_id,target,resource_id,details');
  expect(lines.length).toBeGreaterThan(1);
  for (const line of lines.slice(1)) expect(line).toContain(`${admin.email},`);
  for (const line of lines.slice(1)) expect(line).toContain(',sign_in.succeeded,');

  // A date that is not one gets its message beside the field.
  await page.goto('/admin/audit?to=31/12/2026');
  await expect(page.getByText('Enter a date as YYYY-MM-DD.')).toBeVisible();
  await screenshot(page, 'audit-log-bad-date', info.project.name);
});
