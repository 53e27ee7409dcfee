import { test, expect, type Browser, type Page } from '@playwright/test';
import { expectNoEnglish } from '../support/english';
import { ownerPassword, addOwner, createResource, signInAsAdmin, tag } from '../support/portal';
import { screenshot, waitForHydration } from '../support/people';
import { codeSentBy, linkIn, waitForEmail } from '../support/mail';
import { runInfo } from '../support/run-info';
import { authenticatorCode, secretOnPage } from '../support/authenticator';

// Every page, as each kind of visitor sees it, in Dutch: no text may be an English catalogue
// text (support/english.ts lists the few words both languages share).

async function dutchBrowser(browser: Browser, javaScriptEnabled: boolean | undefined) {
  const context = await browser.newContext({ baseURL: runInfo().baseURL, locale: 'nl-NL', javaScriptEnabled: javaScriptEnabled !== false });
  return { context, page: await context.newPage() };
}

/** Waits for hydration where the page hydrates (partner pages are plain HTML and never do). */
async function settle(page: Page, javaScriptEnabled: boolean | undefined) {
  if ((await page.locator('script[type="module"]').count()) > 0) await waitForHydration(page, javaScriptEnabled);
}

/** Opens `path` and checks it, hydrated where JavaScript runs (hydration must not bring English back). */
async function sweep(page: Page, path: string, javaScriptEnabled: boolean | undefined, shot?: string, project?: string) {
  await page.goto(path);
  await settle(page, javaScriptEnabled);
  await expectNoEnglish(page, path);
  await expectBadgesOnOneLine(page, path);
  if (shot && project) await screenshot(page, `dutch-${shot}`, project);
}

/** Dutch words run longer than English ones: a status badge must still be one pill, not two lines. */
async function expectBadgesOnOneLine(page: Page, path: string) {
  const wrapped = await page.locator('.badge').evaluateAll((badges) =>
    badges
      .filter((badge) => {
        const box = badge.getBoundingClientRect();
        const style = getComputedStyle(badge);
        const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.2;
        const text = box.height - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
        return box.height > 0 && text > line * 1.5;
      })
      .map((badge) => badge.textContent),
  );
  expect(wrapped, `badges wrapped onto a second line on ${path}`).toEqual([]);
}

async function signInDutch(page: Page, email: string, password: string) {
  await page.goto('/sign-in');
  await page.getByLabel('E-mailadres', { exact: true }).fill(email);
  await page.getByLabel('Wachtwoord').fill(password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await expect(page.getByRole('button', { name: 'Uitloggen' })).toBeVisible();
}

test('anonymous visitors see every page in Dutch', async ({ browser, javaScriptEnabled }) => {
  const { context, page } = await dutchBrowser(browser, javaScriptEnabled);
  for (const path of ['/', '/sign-in', '/sign-in/code', '/sign-in/provider', '/sign-in/second-factor', '/my-access', '/admin', '/review', '/no-such-page', '/setup/not-a-token', '/welcome/not-a-token', '/invite/not-a-token', '/status/not-a-token', '/sign-in/app/problem?reason=unknown_app', '/sign-in?next=/my-access&app=crm']) {
    await sweep(page, path, javaScriptEnabled);
  }
  // The page for typing a code, after asking for one.
  await page.goto('/sign-in');
  await page.getByLabel('Je e-mailadres').fill('niemand@nergens.example');
  await page.getByRole('button', { name: 'Mail mij een code' }).click();
  await expect(page.getByRole('heading', { name: 'Typ je code' })).toBeVisible();
  await settle(page, javaScriptEnabled);
  await expectNoEnglish(page, '/sign-in/code');
  await context.close();
});

test('partners, owners and admins see every page in Dutch', async ({ page, browser, javaScriptEnabled }, info) => {
  test.setTimeout(240_000);
  const t = tag(info);
  const project = info.project.name;
  const resource = `Voorraad ${t}`;
  const slug = `voorraad-${t}`;
  const partner = `joke-${t}@partner.example`;
  const ownerEmail = `otto-voorraad-${t}@example.com`;
  await signInAsAdmin(page);
  const id = await createResource(page, resource, slug, 'Het voorraadbeheer van de magazijnen.');
  const owner = await addOwner(page, browser, javaScriptEnabled, id, ownerEmail, 'Otto Owner');
  await owner.context.close();

  // A partner asks, in Dutch.
  const joke = await dutchBrowser(browser, javaScriptEnabled);
  await sweep(joke.page, `/request/${slug}`, javaScriptEnabled);
  await joke.page.getByLabel('Zakelijk e-mailadres').fill(partner);
  await joke.page.getByLabel('Volledige naam').fill('Joke Partner');
  await joke.page.getByLabel('Organisatie').fill('Partner BV');
  await joke.page.getByLabel('Waarom heb je toegang nodig?').fill('Ik houd de voorraadkoppeling bij.');
  await joke.page.getByRole('button', { name: 'Aanvraag versturen' }).click();
  await expect(joke.page.getByRole('heading', { name: 'Aanvraag ontvangen' })).toBeVisible();
  await expectNoEnglish(joke.page, 'request sent');
  const received = await waitForEmail(partner, `We hebben je aanvraag voor ${resource} ontvangen`);
  await sweep(joke.page, new URL(linkIn(received, '/status/'), runInfo().baseURL).pathname, javaScriptEnabled);

  // The owner, in a Dutch browser: the queue, the request, their resources, people, bulk invites.
  const otto = await dutchBrowser(browser, javaScriptEnabled);
  await signInDutch(otto.page, ownerEmail, ownerPassword);
  await sweep(otto.page, '/review', javaScriptEnabled, 'review-queue', project);
  await otto.page.getByRole('link', { name: 'De aanvraag van Joke Partner beoordelen' }).click();
  await expect(otto.page.getByRole('heading', { name: `Joke Partner vraagt toegang tot ${resource}` })).toBeVisible();
  await settle(otto.page, javaScriptEnabled);
  await expectNoEnglish(otto.page, 'review request');
  await screenshot(otto.page, 'dutch-review-request', project);
  await otto.page.getByRole('button', { name: 'Goedkeuren' }).click();
  await expect(otto.page.getByText('Goedgekeurd: de partner is uitgenodigd.')).toBeVisible();
  await expectNoEnglish(otto.page, 'review queue after approving');
  await sweep(otto.page, '/my-resources', javaScriptEnabled);
  await sweep(otto.page, `/resources/${id}`, javaScriptEnabled, 'resource-people', project);
  await sweep(otto.page, `/resources/${id}/bulk`, javaScriptEnabled);
  await otto.page.getByLabel('Plak de lijst').fill(`kees-${t}@partner.example, Kees Partner\nnot-an-address, Niemand`);
  await otto.page.getByRole('button', { name: 'Lijst controleren' }).click();
  await expect(otto.page.getByText('Uitnodigen: 1; niet uitnodigen: 1')).toBeVisible();
  await settle(otto.page, javaScriptEnabled);
  await expectNoEnglish(otto.page, 'bulk report');
  await screenshot(otto.page, 'dutch-bulk-report', project);
  await otto.context.close();

  // The partner accepts the invitation and sees their access.
  const invitation = await waitForEmail(partner, `Je bent uitgenodigd voor ${resource}`);
  await sweep(joke.page, new URL(linkIn(invitation, '/invite/'), runInfo().baseURL).pathname, javaScriptEnabled);
  const code = await codeSentBy(partner, () => joke.page.getByRole('button', { name: 'Mail mij een code' }).click());
  await settle(joke.page, javaScriptEnabled);
  await expectNoEnglish(joke.page, 'invitation code');
  await joke.page.getByLabel('Volledige naam').fill('Joke Partner');
  await joke.page.getByLabel('Code', { exact: true }).fill(code);
  await joke.page.getByRole('button', { name: 'Uitnodiging accepteren' }).click();
  await expect(joke.page.getByRole('heading', { name: 'Mijn toegang', level: 1 })).toBeVisible();
  await expectNoEnglish(joke.page, 'my access');
  await sweep(joke.page, '/', javaScriptEnabled);
  await sweep(joke.page, '/account', javaScriptEnabled, 'account', project);
  await sweep(joke.page, '/account/passkey', javaScriptEnabled, 'add-passkey', project);
  // The admin requires a second step of her: her next page asks her to confirm it is her.
  await page.goto('/admin/accounts');
  await page.getByLabel('Search').fill(partner);
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('link', { name: 'Joke Partner' }).click();
  await waitForHydration(page, javaScriptEnabled);
  await page.getByRole('button', { name: 'Require a second step of this person' }).click();
  await expect(page.getByText('A second sign-in step is required of this person')).toBeVisible();
  await joke.page.goto('/my-access');
  await expect(joke.page.getByRole('heading', { name: 'Bevestig dat jij het bent' })).toBeVisible();
  await settle(joke.page, javaScriptEnabled);
  await expectNoEnglish(joke.page, 'confirm it is you');
  await screenshot(joke.page, 'dutch-step-up-asked', project);
  await joke.page.getByRole('link', { name: 'Doorgaan' }).click();
  await expect(joke.page.getByRole('heading', { name: 'Tweede stap' })).toBeVisible();
  // The second step's page offers her to add an app or a passkey first (she has none).
  await joke.page.goto('/sign-in/second-factor?next=/account');
  await expect(joke.page.getByRole('link', { name: 'Authenticator-app toevoegen' })).toBeVisible();
  await settle(joke.page, javaScriptEnabled);
  await expectNoEnglish(joke.page, 'second step, add an app first');
  await screenshot(joke.page, 'dutch-second-step-enrol-first', project);
  // She adds an authenticator app, and signing in then takes a second step.
  await joke.page.getByRole('link', { name: 'Authenticator-app toevoegen' }).click();
  await expect(joke.page.getByRole('heading', { name: 'Authenticator-app toevoegen' })).toBeVisible();
  await settle(joke.page, javaScriptEnabled);
  await expectNoEnglish(joke.page, 'add authenticator');
  await screenshot(joke.page, 'dutch-add-authenticator', project);
  const secret = await secretOnPage(joke.page);
  await joke.page.getByLabel('Code uit de app').fill(authenticatorCode(secret));
  await joke.page.getByRole('button', { name: 'App toevoegen' }).click();
  await expect(joke.page.getByRole('heading', { name: 'Je herstelcodes' })).toBeVisible();
  await settle(joke.page, javaScriptEnabled);
  await expectNoEnglish(joke.page, 'recovery codes');
  await screenshot(joke.page, 'dutch-recovery-codes', project);
  await joke.page.getByRole('link', { name: 'Ik heb ze bewaard: terug naar mijn account' }).click();
  await expect(joke.page.getByText('Je hebt nog 10 ongebruikte herstelcodes.')).toBeVisible();
  await settle(joke.page, javaScriptEnabled);
  await expectNoEnglish(joke.page, 'account with an authenticator');
  await screenshot(joke.page, 'dutch-account-second-step', project);
  await joke.page.getByRole('button', { name: 'Uitloggen' }).click();
  await expect(joke.page).toHaveURL(/\/sign-in/);
  await joke.page.goto('/sign-in');
  const again = await codeSentBy(partner, async () => {
    await joke.page.getByLabel('Je e-mailadres').fill(partner);
    await joke.page.getByRole('button', { name: 'Mail mij een code' }).click();
    await expect(joke.page.getByRole('heading', { name: 'Typ je code' })).toBeVisible();
  });
  await joke.page.getByLabel('Code', { exact: true }).fill(again);
  await joke.page.getByRole('button', { name: 'Inloggen' }).click();
  await expect(joke.page.getByRole('heading', { name: 'Tweede stap' })).toBeVisible();
  await settle(joke.page, javaScriptEnabled);
  await expectNoEnglish(joke.page, 'second step');
  await screenshot(joke.page, 'dutch-second-step', project);
  await joke.page.getByLabel('Code', { exact: true }).fill(authenticatorCode(secret, 1));
  await joke.page.getByRole('button', { name: 'Inloggen' }).click();
  await expect(joke.page.getByRole('button', { name: 'Uitloggen' })).toBeVisible();
  await joke.context.close();

  // The admin, switched to Dutch for the sweep and back to English for the tests that follow.
  try {
    await page.goto('/admin');
    await page.getByRole('button', { name: 'Nederlands', exact: true }).click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'nl');
    const pages = [
      '/admin', '/admin/requests', '/admin/invitations', '/admin/accounts', '/admin/resources',
      '/admin/resources/new', `/admin/resources/${id}`, `/admin/resources/${id}/policy`, `/admin/resources/${id}/sign-in`, '/admin/policy',
      '/admin/api-tokens', '/admin/webhooks', '/admin/audit', '/admin/jobs', '/admin/jobs?queued=clean_up', '/admin/settings',
      '/admin/identity-providers', '/admin/signing-keys', '/review', '/my-resources', `/resources/${id}`,
      `/resources/${id}/sign-in`, '/',
    ];
    for (const path of pages) {
      await sweep(page, path, javaScriptEnabled, path === '/' ? 'admin-home' : path.replace(/\//g, '-').replace(/^-/, ''), project);
    }
    // A webhook endpoint's own page (deliveries never happen: no event of this run ends access
    // before the endpoint is deleted again).
    await page.goto('/admin/webhooks');
    await settle(page, javaScriptEnabled);
    await page.getByLabel('Adres', { exact: true }).fill(`https://hooks.partner.example/voorraad-${t}`);
    await page.getByLabel('membership.ended').check();
    await page.getByRole('button', { name: 'Endpoint toevoegen' }).click();
    await expect(page.getByText('Het endpoint is toegevoegd.')).toBeVisible();
    await settle(page, javaScriptEnabled);
    await expectNoEnglish(page, 'webhook endpoint');
    await screenshot(page, 'dutch-webhook-endpoint', project);
    await page.getByRole('button', { name: 'Endpoint verwijderen' }).click();
    await expect(page.getByText('Het endpoint is verwijderd, met zijn leveringslog.')).toBeVisible();
  } finally {
    await page.goto('/');
    const english = page.getByRole('button', { name: 'English', exact: true });
    if (await english.isVisible()) await english.click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  }
});
