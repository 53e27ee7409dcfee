import { test, expect } from '@playwright/test';
import { expectAccessible, screenshot, waitForHydration } from '../support/people';
import { createResource, signInAsAdmin, tag } from '../support/portal';
import { runInfo } from '../support/run-info';

test('an admin gives a question, its choices and the terms in Dutch; a Dutch partner reads them', async ({ page, browser, javaScriptEnabled }, info) => {
  const t = tag(info);
  const resource = `Stock ${t}`;
  await signInAsAdmin(page);
  const id = await createResource(page, resource, `stock-${t}`, 'Stock levels of every shop.');

  await page.goto(`/admin/resources/${id}/policy`);
  await waitForHydration(page, javaScriptEnabled);
  const question = page.getByRole('group', { name: 'Question 1' });
  await question.getByLabel('Label', { exact: true }).fill('Which team?');
  await question.getByLabel('Label (Nederlands)').fill('Welk team?');
  await question.getByLabel('Answer', { exact: true }).selectOption('choice');
  await question.getByLabel('Choices (one per line, for a list)').fill('Sales\nSupport');
  await question.getByLabel('Choices, in the same order (Nederlands)').fill('Verkoop');
  await question.getByLabel('Required', { exact: true }).check();
  await page.getByLabel('Terms partners must accept', { exact: true }).fill('Keep what you see confidential.');
  await page.getByLabel('Terms partners must accept (Nederlands)').fill('Houd wat je ziet vertrouwelijk.');
  await page.getByRole('button', { name: 'Save policy' }).click();

  // One Dutch choice for two: refused beside that field, and nothing typed is lost.
  const dutchChoices = question.getByLabel('Choices, in the same order (Nederlands)');
  await expect(question.getByText("Give 2 choices, one per line, in the order of the default language's.")).toBeVisible();
  await expect(dutchChoices).toHaveAttribute('aria-invalid', 'true');
  await expect(question.getByLabel('Label (Nederlands)')).toHaveValue('Welk team?');
  await screenshot(page, 'policy-translations-refused', info.project.name);
  await dutchChoices.fill('Verkoop\nKlantenservice');
  await page.getByRole('button', { name: 'Save policy' }).click();
  await expect(page.getByText("The resource's own policy is saved.")).toBeVisible();

  const context = await browser.newContext({ baseURL: runInfo().baseURL, locale: 'nl-NL', javaScriptEnabled: javaScriptEnabled !== false });
  const piet = await context.newPage();
  // The request form is a plain form (no app script): nothing to wait for.
  await piet.goto(`/request/stock-${t}`);
  await expect(piet.getByText('Houd wat je ziet vertrouwelijk.')).toBeVisible();
  await expect(piet.getByText('Keep what you see confidential.')).toHaveCount(0);
  await piet.getByLabel('Zakelijk e-mailadres').fill(`piet-stock-${t}@partner.example`);
  await piet.getByLabel('Volledige naam').fill(`Piet Voorraad ${t}`);
  await piet.getByLabel('Organisatie').fill('Partner BV');
  await piet.getByLabel('Waarom heb je toegang nodig?').fill('Ik vul de schappen aan.');
  await piet.getByLabel('Welk team?').selectOption({ label: 'Klantenservice' });
  await piet.getByLabel('Ik heb deze gebruiksvoorwaarden gelezen en accepteer ze').check();
  await expectAccessible(piet, javaScriptEnabled);
  await screenshot(piet, 'request-form-translated-question', info.project.name);
  await piet.getByRole('button', { name: 'Aanvraag versturen' }).click();
  await expect(piet.getByRole('heading', { name: 'Aanvraag ontvangen' })).toBeVisible();
  await context.close();

  // Whoever decides reads the answer in the portal's default language.
  await page.goto('/review');
  await page.getByRole('link', { name: `Review the request of Piet Voorraad ${t}` }).click();
  await expect(page.getByText('Which team?')).toBeVisible();
  await expect(page.getByText('Support', { exact: true })).toBeVisible();
});
