import { test, expect, type Page } from '@playwright/test';
import { expectAccessible, expectNoAppScript, screenshot, signIn, signOut, waitForHydration } from '../support/people';
import { linkIn, waitForEmail } from '../support/mail';
import { runInfo } from '../support/run-info';
import { acceptAsNewPartner, createResource, newPerson, signInWithCode, requestAccess, setPolicy, signInAsAdmin, tag, openAdminPage } from '../support/portal';

// A 1×1 PNG.
const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

async function openSettings(page: Page) {
  await openAdminPage(page, 'Settings');
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
}

async function saveBranding(page: Page, name: string, accent: string, contact: string, dutchName = '') {
  await page.getByLabel('Portal name', { exact: true }).fill(name);
  await page.getByLabel('Portal name (Nederlands)').fill(dutchName);
  await page.getByLabel('Accent colour').fill(accent);
  await page.getByLabel('Contact email (optional)').fill(contact);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
}

test('an admin brands the portal, and new terms are accepted at the next sign-in', async ({ page, browser, javaScriptEnabled }, info) => {
  const t = tag(info);
  const name = `Northwind ${t}`;
  const resource = `Jetty ${t}`;
  const partner = `mia-${t}@auto.example`;
  await signInAsAdmin(page);
  await openSettings(page);
  await waitForHydration(page, javaScriptEnabled);
  await expectAccessible(page, javaScriptEnabled);
  await screenshot(page, 'settings', info.project.name);

  // A colour too pale for white text is refused beside its field; nothing is saved.
  await saveBranding(page, name, '#ffee88', '');
  await expect(page.getByText('This colour is too light for white text on buttons')).toBeVisible();
  await expect(page.getByLabel('Accent colour')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('banner').getByRole('link', { name: 'Acme Partners' })).toBeVisible();

  try {
    await saveBranding(page, name, '#0b5a3c', 'help@northwind.example', `Noordenwind ${t}`);
    await expect(page.getByText('Saved. Every page and every new email now uses it.')).toBeVisible();
    await expect(page.getByRole('banner').getByRole('link', { name })).toBeVisible();
    // A Dutch reader gets the name the admin gave in Dutch.
    const dutch = await browser.newContext({ baseURL: runInfo().baseURL, locale: 'nl-NL', javaScriptEnabled: javaScriptEnabled !== false });
    const piet = await dutch.newPage();
    await piet.goto('/');
    await expect(piet.getByRole('banner').getByRole('link', { name: `Noordenwind ${t}` })).toBeVisible();
    const button = page.getByRole('button', { name: 'Upload logo' });
    await expect(page.getByRole('button', { name: 'Publish as a new version' })).toHaveCSS('background-color', 'rgb(11, 90, 60)');
    await expect(button).toBeVisible();

    await page.locator('#logo-file').setInputFiles({ name: 'mark.png', mimeType: 'image/png', buffer: png });
    await button.click();
    await expect(page.getByText('The new logo is in place.')).toBeVisible();
    await expect(page.getByRole('banner').locator('img.brand-mark')).toHaveAttribute('src', /\/branding\/logo\?v=\d+/);
    // Something that is not an image is refused by its bytes, whatever its name says.
    await page.locator('#logo-file').setInputFiles({ name: 'evil.png', mimeType: 'image/png', buffer: Buffer.from('<svg onload=alert(1)>') });
    await page.getByRole('button', { name: 'Upload logo' }).click();
    await expect(page.getByText('Upload a PNG, JPEG, GIF or WebP image')).toBeVisible();

    // Emails carry the new name and the contact address.
    const id = await createResource(page, resource, `jetty-${t}`, 'Moorings.');
    await setPolicy(page, id, async (p) => {
      await p.getByLabel('Auto-approve domains').fill('auto.example');
    });
    const { page: mia } = await newPerson(browser, javaScriptEnabled);
    await requestAccess(mia, resource, partner, 'Mia Partner');
    const invitation = await waitForEmail(partner, `You are invited to ${resource}`);
    expect(invitation.subject).toContain(name);
    expect(invitation.text).toContain('Questions? Write to help@northwind.example.');
    await mia.goto(linkIn(invitation, '/invite/'));
    await acceptAsNewPartner(mia, 'Mia Partner', partner);
    await signOut(mia);

    // New terms: the partner accepts them at the next sign-in.
    await openSettings(page);
    await page.getByLabel('Terms of use', { exact: true }).fill(`Partners of ${name} keep what they see to themselves.`);
    await page.getByLabel('Terms of use (Nederlands)').fill(`Partners van ${name} houden voor zich wat ze zien.`);
    await page.getByRole('button', { name: 'Publish as a new version' }).click();
    await expect(page.getByText(/Version \d+ of the terms is published/)).toBeVisible();
    await screenshot(page, 'settings-translated', info.project.name);
    await piet.goto('/terms');
    await expect(piet.getByText(`Partners van ${name} houden voor zich wat ze zien.`)).toBeVisible();
    await screenshot(piet, 'terms-dutch', info.project.name);
    await dutch.close();
    await signInWithCode(mia, partner);
    await expect(mia.getByRole('heading', { name: 'Terms of use' })).toBeVisible();
    await expect(mia.getByText('The terms of use have changed since you last accepted them.')).toBeVisible();
    await expect(mia.getByText(`Partners of ${name} keep what they see to themselves.`)).toBeVisible();
    // Signing in redirects to the terms, a partner page: the server's, without the app's script.
    await expectNoAppScript(mia);
    await expectAccessible(mia, javaScriptEnabled);
    await screenshot(mia, 'accept-terms', info.project.name);
    await mia.getByRole('button', { name: 'I accept these terms' }).click();
    await expect(mia.getByRole('heading', { name: 'Terms of use' })).toBeHidden();
    await signOut(mia);
    await signInWithCode(mia, partner);
    await expect(mia.getByRole('navigation', { name: 'Main' }).getByText('Mia Partner')).toBeVisible();
    await expect(mia.getByRole('heading', { name: 'Terms of use' })).toBeHidden();
  } finally {
    // Settings are portal-wide: put them back for the tests that follow.
    await page.goto('/admin/settings');
    if (await page.getByRole('button', { name: 'Withdraw the terms' }).count()) {
      await page.getByRole('button', { name: 'Withdraw the terms' }).click();
      await expect(page.getByText('The terms are withdrawn')).toBeVisible();
    }
    if (await page.getByRole('button', { name: 'Remove logo' }).count()) {
      await page.getByRole('button', { name: 'Remove logo' }).click();
      await expect(page.getByText('The logo is removed')).toBeVisible();
    }
    await saveBranding(page, 'Acme Partners', '#1f5f8b', '');
    await expect(page.getByRole('banner').getByRole('link', { name: 'Acme Partners' })).toBeVisible();
  }
});
