import { test, expect } from '@playwright/test';
import { expectAccessible, screenshot, waitForHydration } from '../support/people';
import { signInAsAdmin } from '../support/portal';

test('an admin sees the keys that sign apps\' tokens and rotates them', async ({ page, request, javaScriptEnabled }, info) => {
  await signInAsAdmin(page);
  await page.goto('/admin/signing-keys');
  await expect(page.getByRole('heading', { name: 'App sign-in keys' })).toBeVisible();
  await waitForHydration(page, javaScriptEnabled);
  const keys = page.getByRole('table', { name: 'App sign-in keys' });
  await expect(keys.getByRole('row', { name: /Signing/ })).toHaveCount(2);
  await expectAccessible(page, javaScriptEnabled);

  // What the page lists is what apps fetch.
  const published = await (await request.get('/oauth/jwks')).json();
  for (const key of published.keys) await expect(keys.getByText(key.kid)).toBeVisible();

  await page.getByRole('button', { name: 'Rotate the keys' }).click();
  await expect(page.getByText('New keys are published. They sign in an hour')).toBeVisible();
  await expect(keys.getByRole('row', { name: /Published; signs from/ })).toHaveCount(2);
  await screenshot(page, 'app-sign-in-keys', info.project.name);
  // Apps see the new keys within the few seconds an instance keeps the set it read. (Rotating
  // again within the hour replaces the last rotation's keys, so the set may not grow: it changes.)
  const before = new Set(published.keys.map((key: { kid: string }) => key.kid));
  await expect.poll(async () => {
    const now = (await (await request.get('/oauth/jwks')).json()).keys as { kid: string }[];
    return now.filter((key) => !before.has(key.kid)).length;
  }, { timeout: 10_000 }).toBe(2);
});
