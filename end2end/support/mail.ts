import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect } from '@playwright/test';
import { runInfo } from './run-info';

/** One email as the portal sent it (read from the .eml files the server writes). */
export interface Email {
  to: string;
  subject: string;
  text: string;
  file: string;
}

function unfoldHeaders(head: string): Map<string, string> {
  const headers = new Map<string, string>();
  const lines = head.replace(/\r\n/g, '\n').replace(/\n[ \t]+/g, ' ').split('\n');
  for (const line of lines) {
    const at = line.indexOf(':');
    if (at > 0) headers.set(line.slice(0, at).toLowerCase(), line.slice(at + 1).trim());
  }
  return headers;
}

/** RFC 2047 encoded words, as lettre writes non-ASCII subjects. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_, kind: string, data: string) =>
      kind.toLowerCase() === 'b'
        ? Buffer.from(data, 'base64').toString('utf8')
        : Buffer.from(decodeQuotedPrintable(data.replace(/_/g, ' ')), 'binary').toString('utf8'),
    );
}

function decodeQuotedPrintable(text: string): string {
  return text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function decodePart(part: string): { type: string; body: string } {
  const split = part.replace(/\r\n/g, '\n').indexOf('\n\n');
  const normalized = part.replace(/\r\n/g, '\n');
  const headers = unfoldHeaders(normalized.slice(0, split));
  const raw = normalized.slice(split + 2);
  const encoding = (headers.get('content-transfer-encoding') ?? '').toLowerCase();
  let body = raw;
  if (encoding === 'base64') body = Buffer.from(raw.replace(/\s+/g, ''), 'base64').toString('utf8');
  else if (encoding === 'quoted-printable') body = Buffer.from(decodeQuotedPrintable(raw), 'binary').toString('utf8');
  return { type: (headers.get('content-type') ?? '').toLowerCase(), body };
}

export function readEmail(file: string): Email {
  const content = fs.readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
  const split = content.indexOf('\n\n');
  const headers = unfoldHeaders(content.slice(0, split));
  const body = content.slice(split + 2);
  const boundary = /boundary="?([^";]+)"?/.exec(headers.get('content-type') ?? '')?.[1];
  let text = body;
  if (boundary) {
    const parts = body.split(`--${boundary}`).slice(1, -1).map(decodePart);
    text = parts.find((p) => p.type.startsWith('text/plain'))?.body ?? '';
  }
  return { to: headers.get('to') ?? '', subject: decodeWords(headers.get('subject') ?? ''), text, file };
}

export function allEmails(): Email[] {
  const dir = runInfo().mailDir;
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.eml'))
    .map((f) => path.join(dir, f))
    .sort((a, b) => fs.statSync(a).mtimeMs - fs.statSync(b).mtimeMs)
    .map(readEmail);
}

/** Waits for an email to `to` whose subject contains `subject`, and returns the newest. */
export async function waitForEmail(to: string, subject: string): Promise<Email> {
  let found: Email | undefined;
  await expect
    .poll(
      () => {
        found = allEmails()
          .filter((m) => m.to.includes(to) && m.subject.includes(subject))
          .pop();
        return found !== undefined;
      },
      { timeout: 15_000, message: `an email to ${to} about "${subject}"` },
    )
    .toBe(true);
  return found!;
}

/** The path of the first link in the email starting with `prefix` (e.g. "/invite/"). */
export function linkIn(email: Email, prefix: string): string {
  const match = new RegExp(`https?://[^/\\s]+(${prefix.replace(/\//g, '\\/')}[A-Za-z0-9_\\-/?=&%.]+)`).exec(email.text);
  if (!match) throw new Error(`no ${prefix} link in: ${email.text}`);
  return match[1];
}

/**
 * Runs `ask` (which makes the portal send a one-time code to `to`) and returns the code from
 * the new email: the 8 digits its subject opens with ("1234 5678 is your code").
 */
export async function codeSentBy(to: string, ask: () => Promise<void>): Promise<string> {
  const seen = new Set(allEmails().map((m) => m.file));
  await ask();
  let code = '';
  await expect
    .poll(
      () => {
        const fresh = allEmails().filter((m) => !seen.has(m.file) && m.to.includes(to) && /^\d{4} \d{4} /.test(m.subject));
        code = fresh.pop()?.subject.slice(0, 9).replace(' ', '') ?? '';
        return code.length;
      },
      { timeout: 15_000, message: `a code emailed to ${to}` },
    )
    .toBe(8);
  return code;
}
