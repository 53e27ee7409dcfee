import { expect, type Page } from '@playwright/test';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Words that are the same in English and Dutch (product words Dutch IT writes in English, and
 * the switcher's offer of the other language). A text equal to one of these is no mistake.
 */
export const sameInBoth = new Set([
  'API', 'Account', 'Accounts', 'App', 'Bytes', 'Code', 'Details', 'English', 'Factor', 'Label', 'Logo', 'Open',
  'Partner', 'Partners', 'Passkey', 'Portico', 'Provider', 'Resource', 'Resources', 'Scopes', 'Status', 'Via', 'Webhook', 'Webhooks',
]);

const catalogues = path.join(__dirname, '..', '..', 'locales', 'catalogues');

/** Every English catalogue text: the plain ones, and those with placeholders as patterns. */
function englishTexts(): { plain: Set<string>; patterns: RegExp[] } {
  const plain = new Set<string>();
  const patterns: RegExp[] = [];
  const add = (value: unknown) => {
    if (typeof value === 'object' && value !== null) return Object.values(value).forEach(add);
    const text = String(value).trim();
    // Punctuation alone (a sentence's closing ".") is no language.
    if (!/[A-Za-z]/.test(text) || sameInBoth.has(text)) return;
    if (!text.includes('{{')) return void plain.add(text);
    const words = text.replace(/\{\{[^}]*\}\}/g, '');
    // A template of placeholders, punctuation and codes ("{{ date }}, {{ time }} UTC") says
    // nothing about language: it needs a word of its own.
    if (!/[a-z]{3,}/.test(words)) return;
    const source = text
      .split(/\{\{[^}]*\}\}/)
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.+');
    patterns.push(new RegExp(`^${source}$`));
  };
  for (const file of fs.readdirSync(path.join(catalogues, 'en'))) {
    add(JSON.parse(fs.readFileSync(path.join(catalogues, 'en', file), 'utf8')));
  }
  return { plain, patterns };
}

const english = englishTexts();

/** The texts a reader sees or hears on the page: text nodes, the title, labels for screen readers. */
async function textsOf(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [document.title];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      // Codes (event names, tokens) are data, not words.
      if (!parent || parent.closest('script, style, code, pre, noscript')) continue;
      found.push(node.textContent ?? '');
    }
    for (const element of Array.from(document.querySelectorAll('[aria-label], [placeholder], [title]'))) {
      for (const name of ['aria-label', 'placeholder', 'title']) {
        const value = element.getAttribute(name);
        if (value) found.push(value);
      }
    }
    return found.map((text) => text.trim()).filter((text) => text.length > 0);
  });
}

/** Fails when the page (which must be in Dutch) shows a text that is an English catalogue text. */
export async function expectNoEnglish(page: Page, where: string) {
  await expect(page.locator('html')).toHaveAttribute('lang', 'nl');
  const texts = await textsOf(page);
  const english_ = texts.filter(
    (text) => !sameInBoth.has(text) && (english.plain.has(text) || english.patterns.some((p) => p.test(text))),
  );
  expect(english_, `English on ${where} (${page.url()})`).toEqual([]);
}
