import { test, expect, type Page } from '@playwright/test';
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expectAccessible, screenshot, waitForHydration } from '../support/people';
import { acceptAsNewPartner, createResource, newPerson, signInAsAdmin, tag, openAdminPage } from '../support/portal';

interface Delivery {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on a free loopback port that records what it gets and answers 204. */
async function receiver(): Promise<{ url: string; got: Delivery[]; close: () => void }> {
  const got: Delivery[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/hook`, got, close: () => server.close() };
}

function verify(secret: string, headers: http.IncomingHttpHeaders, body: string): boolean {
  const [t, v1] = String(headers['portico-signature']).split(',');
  const expected = crypto.createHmac('sha256', secret).update(`${t.slice(2)}.${body}`).digest('hex');
  return crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(v1.slice(3)));
}

async function openAdmin(page: Page, link: string, heading: string) {
  await openAdminPage(page, link);
  await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
}

test('an admin makes a token, a program invites with it, the partner redeems, and a webhook hears of it', async ({ page, browser, request, javaScriptEnabled }, info) => {
  const t = tag(info);
  const resource = `Wharf ${t}`;
  const partner = `noor-${t}@dock.example`;
  await signInAsAdmin(page);
  const resourceId = await createResource(page, resource, `wharf-${t}`, 'Berths and cranes.');

  // API tokens: a bad form is answered beside its fields; a good one shows the token once.
  await openAdmin(page, 'API tokens', 'API tokens');
  await waitForHydration(page, javaScriptEnabled);
  await page.getByRole('button', { name: 'Make token' }).click();
  await expect(page.getByText('Name the token after what uses it')).toBeVisible();
  await expect(page.getByText('Tick at least one thing the token may do.')).toBeVisible();
  await page.getByLabel('Name').fill(`Onboarding ${t}`);
  await page.getByLabel('Create, resend and revoke invitations').check();
  await page.getByLabel('List and read invitations').check();
  await page.getByRole('button', { name: 'Make token' }).click();
  await expect(page.getByText(`The token "Onboarding ${t}" is made. Copy it now`)).toBeVisible();
  const token = (await page.getByTestId('new-token').textContent())!.trim();
  expect(token).toMatch(/^ptk_[A-Za-z0-9_-]{43}$/);
  await expectAccessible(page, javaScriptEnabled);
  await screenshot(page, 'api-tokens', info.project.name);
  await page.reload();
  await expect(page.getByTestId('new-token')).toHaveCount(0);
  const auth = { Authorization: `Bearer ${token}` };

  // Webhooks: loopback is refused until allowed; then an endpoint hears invitation.created.
  const hook = await receiver();
  await openAdmin(page, 'Webhooks', 'Webhooks');
  await waitForHydration(page, javaScriptEnabled);
  let endpointPage = '';
  try {
    await page.getByLabel('Address', { exact: true }).fill(hook.url);
    await page.getByLabel('invitation.created').check();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await expect(page.getByText('Loopback and private addresses are refused.')).toBeVisible();
    await page.getByLabel('Allow loopback and private addresses').check();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByText('Saved: the setting applies to the next delivery.')).toBeVisible();
    await page.getByLabel('Address', { exact: true }).fill(hook.url);
    await page.getByLabel('Description (optional)').fill(`Wharf sync ${t}`);
    await page.getByLabel('invitation.created').check();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await expect(page.getByText('The endpoint is added.')).toBeVisible();
    endpointPage = new URL(page.url()).pathname;
    await page.getByText('Show', { exact: true }).click();
    const secret = (await page.getByTestId('webhook-secret').textContent())!.trim();
    expect(secret).toMatch(/^whsec_/);

    // A program invites through the API, without email: it gets the link to hand over.
    const made = await request.post('/api/v1/invitations', {
      headers: auth,
      data: { email: partner, display_name: 'Noor Haddad', resource_id: resourceId, send_email: false, redirect_url: 'https://wharf.example/welcome' },
    });
    expect(made.status()).toBe(201);
    const body = await made.json();
    expect(body.invitation.source).toBe('api');
    const redeemPath = new URL(body.redeem_url).pathname;

    // The webhook arrives signed with the endpoint's secret.
    await expect.poll(() => hook.got.length, { timeout: 10_000 }).toBeGreaterThan(0);
    const delivery = hook.got[0];
    expect(delivery.headers['portico-event']).toBe('invitation.created');
    expect(verify(secret, delivery.headers, delivery.body)).toBe(true);
    expect(JSON.parse(delivery.body).target.label).toBe(partner);
    await page.reload();
    await expect(page.getByRole('row', { name: /invitation\.created/ })).toContainText('Delivered');
    await expect(page.getByRole('row', { name: /invitation\.created/ })).toContainText('204 OK');
    await page.getByRole('button', { name: /^Redeliver: delivery \d+ \(invitation\.created\)$/ }).first().click();
    await expect(page.getByText(/is queued again/)).toBeVisible();
    await expect.poll(() => hook.got.length, { timeout: 10_000 }).toBe(2);
    await expect(async () => {
      await page.reload();
      await expect(page.locator('ol.attempts li')).toHaveCount(2, { timeout: 500 });
    }).toPass({ timeout: 10_000 });
    await expect(page.getByRole('row', { name: /invitation\.created/ })).toContainText('Delivered');
    await expectAccessible(page, javaScriptEnabled);
    await screenshot(page, 'webhook', info.project.name);

    // The partner redeems the link in the browser and is offered the way on.
    const { context, page: noor } = await newPerson(browser, javaScriptEnabled);
    await noor.goto(redeemPath);
    await acceptAsNewPartner(noor, 'Noor Haddad', partner);
    await expect(noor.getByRole('list', { name: 'Resources you can use' }).getByRole('listitem').filter({ hasText: resource })).toContainText(new RegExp(`${resource}\\s*App`));
    await expect(noor.getByRole('link', { name: `Continue to ${resource}` })).toHaveAttribute('href', 'https://wharf.example/welcome');
    await screenshot(noor, 'continue-after-redeem', info.project.name);
    await context.close();
    const read = await request.get(`/api/v1/invitations/${body.invitation.id}`, { headers: auth });
    expect((await read.json()).state).toBe('redeemed');
  } finally {
    hook.close();
    // Leave the portal as other specs expect it: no endpoint, private targets refused.
    if (endpointPage) {
      await page.goto(endpointPage);
      await page.getByRole('button', { name: 'Delete endpoint' }).click();
      await expect(page.getByText('The endpoint is deleted')).toBeVisible();
    }
    await page.goto('/admin/webhooks');
    await page.getByLabel('Allow loopback and private addresses').uncheck();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByText('Saved: the setting applies to the next delivery.')).toBeVisible();
  }

  // Revoking the token stops it at once.
  await openAdmin(page, 'API tokens', 'API tokens');
  await page.getByRole('button', { name: `Revoke: Onboarding ${t}` }).click();
  await expect(page.getByText('The token is revoked')).toBeVisible();
  const refused = await request.get('/api/v1/invitations', { headers: auth });
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error.code).toBe('unauthenticated');
});

test('the API reference is readable', async ({ page }, info) => {
  await page.goto('/api/v1/docs');
  await expect(page.getByRole('heading', { name: 'Portico API (version 1)' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'POST /api/v1/invitations', exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: '/api/v1/openapi.json' })).toBeVisible();
  await screenshot(page, 'api-reference', info.project.name);
});
