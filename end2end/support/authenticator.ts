import { expect, type Page } from '@playwright/test';
import * as OTPAuth from 'otpauth';

/**
 * The code an authenticator app would show for `secret` (as the page prints it, in groups),
 * `stepsAhead` 30-second steps from now: the portal takes one step of drift, and never the same
 * step twice, so a second code in the same half minute is the next step's.
 */
export function authenticatorCode(secret: string, stepsAhead = 0): string {
  const totp = new OTPAuth.TOTP({
    secret: OTPAuth.Secret.fromBase32(secret.replace(/\s+/g, '')),
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
  });
  return totp.generate({ timestamp: Date.now() + stepsAhead * 30_000 });
}

/** The secret the enrolment page shows, read as a person would copy it. */
export async function secretOnPage(page: Page): Promise<string> {
  const secret = (await page.getByTestId('authenticator-secret').textContent()) ?? '';
  expect(secret.replace(/\s+/g, '')).toMatch(/^[A-Z2-7]{32}$/);
  return secret;
}

/** The ten recovery codes the page shows once. */
export async function recoveryCodesOnPage(page: Page): Promise<string[]> {
  // The heading shows at once; the codes arrive with the page's data (in the browser, after it).
  await expect(page.getByTestId('recovery-codes').locator('li')).toHaveCount(10);
  const codes = await page.getByTestId('recovery-codes').locator('li').allTextContents();
  expect(codes).toHaveLength(10);
  return codes.map((c) => c.trim());
}
