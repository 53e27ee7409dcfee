import { test, expect } from '@playwright/test';
import { expectAccessible, screenshot, waitForHydration } from '../support/people';
import { waitForEmail } from '../support/mail';
import { createResource, expireInvitationsFor, newPerson, requestAccess, setPolicy, signInAsAdmin, tag, openAdminPage } from '../support/portal';

test('an admin sees the background jobs and runs one now', async ({ page, browser, javaScriptEnabled }, info) => {
  const t = tag(info);
  const resource = `Ledger ${t}`;
  const partner = `gus-${t}@soon.example`;
  await signInAsAdmin(page);
  const id = await createResource(page, resource, `ledger-${t}`, 'Bookkeeping.');
  await setPolicy(page, id, async (p) => {
    await p.getByLabel('Auto-approve domains').fill('soon.example');
  });
  // An invitation that has run out, for the expiry job to find.
  const { page: gus } = await newPerson(browser, javaScriptEnabled);
  await requestAccess(gus, resource, partner, 'Gus Soon');
  await waitForEmail(partner, `You are invited to ${resource}`);
  expireInvitationsFor(partner);

  await openAdminPage(page, 'Jobs');
  await expect(page.getByRole('heading', { name: 'Background work' })).toBeVisible();
  for (const job of ['expire_invitations', 'time_out_requests', 'memberships', 'clean_up']) {
    await expect(page.getByRole('row', { name: new RegExp(job) })).toBeVisible();
  }
  await expect(page.getByRole('heading', { name: 'Mail queue' })).toBeVisible();
  await waitForHydration(page, javaScriptEnabled);
  await page.getByRole('button', { name: 'Run now: expire_invitations' }).click();
  await expect(page.getByText('expire_invitations will run within a few seconds.')).toBeVisible();
  // The scheduler of the running server picks it up within a round.
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole('row', { name: /expire_invitations/ })).toContainText(/\([1-9]\d* changed\)/, { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await expectAccessible(page, javaScriptEnabled);
  await screenshot(page, 'background-work', info.project.name);
});
