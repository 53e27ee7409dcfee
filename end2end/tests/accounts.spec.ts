import { test, expect } from '@playwright/test';
import { expectAccessible, screenshot, waitForHydration } from '../support/people';
import { addOwner, createResource, signInAsAdmin, tag, openAdminPage } from '../support/portal';

test('disabling an account ends its open session in another browser', async ({ page, browser, javaScriptEnabled }, info) => {
  const t = tag(info);
  const email = `hal-${t}@example.com`;
  await signInAsAdmin(page);
  const id = await createResource(page, `Vault ${t}`, `vault-${t}`, 'Secrets.');
  const { page: hal } = await addOwner(page, browser, javaScriptEnabled, id, email, 'Hal Owner');

  await openAdminPage(page, 'Accounts');
  await expect(page.getByRole('heading', { name: 'Accounts' })).toBeVisible();
  await page.getByLabel('Search').fill(email);
  await page.getByRole('button', { name: 'Search' }).click();
  const row = page.getByRole('row', { name: new RegExp(email) });
  await expect(row).toContainText('Staff');
  await expect(row.getByRole('cell').nth(3)).toHaveText('1');
  await waitForHydration(page, javaScriptEnabled);
  await expectAccessible(page, javaScriptEnabled);
  await screenshot(page, 'accounts', info.project.name);

  await page.getByRole('button', { name: `Disable: ${email}` }).click();
  await expect(page.getByText('Account disabled; its sessions have ended.')).toBeVisible();
  await expect(page.getByRole('row', { name: new RegExp(email) })).toContainText('Disabled');

  // Hal's open page: the next step finds the session gone.
  await hal.reload();
  await expect(hal.getByRole('heading', { name: 'Please sign in' })).toBeVisible();

  await page.getByRole('button', { name: `Enable: ${email}` }).click();
  await expect(page.getByText('Account enabled again.')).toBeVisible();
  // Nobody can disable themselves: there is no such button on the admin's own row.
  await page.getByLabel('Search').fill('ada@example.com');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByRole('row', { name: /ada@example\.com/ })).toContainText('You');
  await expect(page.getByRole('button', { name: 'Disable: ada@example.com' })).toHaveCount(0);
});
