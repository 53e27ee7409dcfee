import type { Browser, BrowserContext, CDPSession, Page } from '@playwright/test';
import { runInfo } from './run-info';

/**
 * A browser at `localhost`: browsers refuse passkeys on an IP address, and a portal published at
 * a loopback address (as the test portal is) offers them at localhost on the same port.
 */
export async function personAtLocalhost(browser: Browser, javaScriptEnabled: boolean | undefined): Promise<{ context: BrowserContext; page: Page }> {
  const baseURL = runInfo().baseURL.replace('://127.0.0.1:', '://localhost:');
  const context = await browser.newContext({ baseURL, javaScriptEnabled: javaScriptEnabled !== false });
  return { context, page: await context.newPage() };
}

/**
 * Chromium's virtual authenticator (through the DevTools protocol): a real CTAP2 authenticator
 * in software, here one built into the device (`internal`) that verifies its user. Keys it makes
 * stay in it; a second one stands for a second device or security key.
 */
export class VirtualAuthenticators {
  private constructor(private readonly cdp: CDPSession) {}

  static async on(page: Page): Promise<VirtualAuthenticators> {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    return new VirtualAuthenticators(cdp);
  }

  async add(transport: 'internal' | 'usb' = 'internal'): Promise<string> {
    const { authenticatorId } = await this.cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport,
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    return authenticatorId;
  }

  async remove(authenticatorId: string) {
    await this.cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
  }

  /** Whether the person passes the device's own check (fingerprint, PIN): false refuses. */
  async setUserVerified(authenticatorId: string, isUserVerified: boolean) {
    await this.cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified });
  }

  async keyCount(authenticatorId: string): Promise<number> {
    const { credentials } = await this.cdp.send('WebAuthn.getCredentials', { authenticatorId });
    return credentials.length;
  }
}
