import { test, expect } from '@playwright/test';
import { expectAccessible, expectNoAppScript, screenshot, waitForHydration } from '../support/people';
import { allEmails, codeSentBy, linkIn, waitForEmail } from '../support/mail';
import { addOwner, createResource, decide, signInAsAdmin, tag } from '../support/portal';
import { runInfo } from '../support/run-info';

test('a Dutch partner asks, is approved and accepts, all in Dutch: pages and emails', async ({ page, browser, javaScriptEnabled }, info) => {
  const t = tag(info);
  const resource = `Kassa ${t}`;
  const partner = `piet-${t}@partner.example`;
  await signInAsAdmin(page);
  const id = await createResource(page, resource, `kassa-${t}`, 'De kassasystemen van alle winkels.');
  const owner = await addOwner(page, browser, javaScriptEnabled, id, `olga-kassa-${t}@example.com`, 'Olga Owner');

  const context = await browser.newContext({ baseURL: runInfo().baseURL, locale: 'nl-NL', javaScriptEnabled: javaScriptEnabled !== false });
  const piet = await context.newPage();
  await piet.goto('/');
  await expect(piet.locator('html')).toHaveAttribute('lang', 'nl');
  await piet.getByRole('link', { name: `Toegang aanvragen tot ${resource}` }).click();
  await expect(piet.getByRole('heading', { name: `Toegang aanvragen tot ${resource}` })).toBeVisible();
  await expectNoAppScript(piet);
  await expectAccessible(piet, javaScriptEnabled);
  await screenshot(piet, 'request-form-dutch', info.project.name);
  await piet.getByLabel('Zakelijk e-mailadres').fill(partner);
  await piet.getByLabel('Volledige naam').fill('Piet Partner');
  await piet.getByLabel('Organisatie').fill('Partner BV');
  await piet.getByLabel('Waarom heb je toegang nodig?').fill('Ik onderhoud onze koppeling met de kassa.');
  await piet.getByRole('button', { name: 'Aanvraag versturen' }).click();
  await expect(piet.getByRole('heading', { name: 'Aanvraag ontvangen' })).toBeVisible();

  // The emails about the request are Dutch too; the status page follows the request.
  const received = await waitForEmail(partner, `We hebben je aanvraag voor ${resource} ontvangen`);
  expect(received.text).toContain('Bekijk je aanvraag');
  await piet.goto(linkIn(received, '/status/'));
  await expect(piet.getByText('Wacht op een besluit')).toBeVisible();
  await expect(piet.getByRole('button', { name: 'Deze aanvraag intrekken' })).toBeVisible();
  await screenshot(piet, 'request-status-dutch', info.project.name);

  // The owner (English) approves; the invitation is in the partner's language.
  await waitForEmail(`olga-kassa-${t}@example.com`, `Piet Partner asks for access to ${resource}`);
  await decide(owner.page, 'Piet Partner', 'Approve');
  const invitation = await waitForEmail(partner, `Je bent uitgenodigd voor ${resource}`);
  expect(invitation.text).toMatch(/tot \d{1,2} [a-z]{3} \d{4} om \d{2}:\d{2} UTC \(over \d+ dagen\)\./);
  await piet.goto(linkIn(invitation, '/invite/'));
  await expect(piet.getByRole('heading', { name: `Olga Owner nodigt je uit voor ${resource}` })).toBeVisible();
  await expectAccessible(piet, javaScriptEnabled);
  await screenshot(piet, 'invitation-dutch', info.project.name);
  const code = await codeSentBy(partner, () => piet.getByRole('button', { name: 'Mail mij een code' }).click());
  const codeEmail = allEmails().filter((m) => m.to.includes(partner) && m.subject.startsWith(`${code.slice(0, 4)} ${code.slice(4)}`)).pop()!;
  expect(codeEmail.subject).toContain('is je code');
  expect(codeEmail.text).toContain(`Je code voor het accepteren van de uitnodiging voor ${resource} is`);
  await expect(piet.getByText(`We hebben een code gestuurd naar ${partner}`)).toBeVisible();
  await expectAccessible(piet, javaScriptEnabled);
  await screenshot(piet, 'invitation-code-dutch', info.project.name);
  await piet.getByLabel('Volledige naam').fill('Piet Partner');
  await piet.getByLabel('Code', { exact: true }).fill(code);
  await piet.getByRole('button', { name: 'Uitnodiging accepteren' }).click();

  await expect(piet.getByRole('heading', { name: 'Mijn toegang', level: 1 })).toBeVisible();
  await expect(piet.getByText('Welkom! De uitnodiging is geaccepteerd')).toBeVisible();
  const held = piet.getByRole('list', { name: 'Resources die je kunt gebruiken' });
  await expect(held.getByRole('listitem').filter({ hasText: resource })).toBeVisible();
  await expect(piet.getByRole('table', { name: 'Je aanvragen' }).getByRole('row', { name: new RegExp(`${resource}.*Goedgekeurd`) })).toBeVisible();
  await expectAccessible(piet, javaScriptEnabled);
  await screenshot(piet, 'my-access-dutch', info.project.name);

  // Leaving: the owner's revocation would email in Dutch; the partner's own leaving says so in Dutch.
  await piet.getByRole('button', { name: `${resource} opzeggen` }).click();
  await expect(piet.getByText('Klaar: je hebt die toegang niet meer.')).toBeVisible();
  await context.close();
});

test('an owner invites in Dutch by choosing the language on the invite form', async ({ page, browser, javaScriptEnabled }, info) => {
  const t = tag(info);
  const resource = `Vloot ${t}`;
  const partner = `anna-${t}@partner.example`;
  await signInAsAdmin(page);
  const id = await createResource(page, resource, `vloot-${t}`, 'Het wagenpark.');
  const owner = await addOwner(page, browser, javaScriptEnabled, id, `olga-vloot-${t}@example.com`, 'Olga Owner');
  await owner.page.goto(`/resources/${id}`);
  await waitForHydration(owner.page, javaScriptEnabled);
  const language = owner.page.getByLabel('Language', { exact: true });
  await expect(language).toHaveValue('en');
  await owner.page.getByLabel('Email').fill(partner);
  await owner.page.getByLabel('Name', { exact: true }).fill('Anna');
  await language.selectOption('nl');
  await screenshot(owner.page, 'invite-language', info.project.name);
  await owner.page.getByRole('button', { name: 'Send invitation' }).click();
  const invitation = await waitForEmail(partner, `Je bent uitgenodigd voor ${resource}`);
  expect(invitation.text).toContain(`Olga Owner nodigt je uit voor ${resource}.`);
  expect(invitation.text).toContain('Uitnodiging accepteren');
});
