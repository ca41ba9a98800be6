/*
 * The letters the server sent, read from the .eml files it writes when no
 * SMTP server is configured (playwright.config.ts points MAIL_DIR at the
 * run's folder).
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from '@playwright/test';

export type Letter = { file: string; to: string; subject: string; text: string };

function mailDir() {
  const dir = process.env.PORTAL_E2E_MAIL_DIR;
  if (!dir) throw new Error('PORTAL_E2E_MAIL_DIR is not set: letters can only be read from a server this suite started');
  return dir;
}

/** Splits a MIME entity into its headers (names lower-cased, folded lines joined) and body. */
function entity(raw: string) {
  const split = raw.search(/\r?\n\r?\n/);
  const head = split < 0 ? raw : raw.slice(0, split);
  const body = split < 0 ? '' : raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body };
}

/**
 * A header as the reader sees it: RFC 2047 encoded words ("=?utf-8?b?...?=")
 * decoded, the space between two of them dropped, and the bytes of a
 * character split across two words joined again before they are read.
 */
function headerText(value: string) {
  const word = /=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g;
  return value.replace(/(=\?[^?]+\?[bBqQ]\?[^?]*\?=)(\s+=\?[^?]+\?[bBqQ]\?[^?]*\?=)*/g, (run) => {
    const bytes: number[] = [];
    for (const [, , encoding, text] of run.matchAll(word)) {
      if (encoding.toLowerCase() === 'b') {
        bytes.push(...Buffer.from(text, 'base64'));
      } else {
        const q = text.replace(/_/g, ' ');
        for (let i = 0; i < q.length; i++) {
          if (q[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(q.slice(i + 1, i + 3))) {
            bytes.push(parseInt(q.slice(i + 1, i + 3), 16));
            i += 2;
          } else {
            bytes.push(...Buffer.from(q[i], 'utf8'));
          }
        }
      }
    }
    return Buffer.from(bytes).toString('utf8');
  });
}

function decode(body: string, encoding = '7bit') {
  switch (encoding.toLowerCase()) {
    case 'quoted-printable': {
      const joined = body.replace(/=\r?\n/g, '');
      const bytes: number[] = [];
      for (let i = 0; i < joined.length; i++) {
        const hex = joined.slice(i + 1, i + 3);
        if (joined[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
          bytes.push(parseInt(hex, 16));
          i += 2;
        } else {
          bytes.push(...Buffer.from(joined[i], 'utf8'));
        }
      }
      return Buffer.from(bytes).toString('utf8');
    }
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    default:
      return body;
  }
}

/** The plain-text part of a message (or its whole body when it has no parts). */
function plainText(headers: Record<string, string>, body: string): string {
  const boundary = /boundary="?([^";]+)"?/i.exec(headers['content-type'] ?? '')?.[1];
  if (!boundary) return decode(body, headers['content-transfer-encoding']).replace(/\r\n/g, '\n');
  for (const raw of body.split(`--${boundary}`).slice(1)) {
    const part = entity(raw.replace(/^\r?\n/, ''));
    const type = part.headers['content-type'] ?? 'text/plain';
    if (/^multipart\//i.test(type)) return plainText(part.headers, part.body);
    if (/^text\/plain/i.test(type)) return decode(part.body, part.headers['content-transfer-encoding']).replace(/\r\n/g, '\n');
  }
  return '';
}

/** Every letter written so far, oldest first. */
export function allLetters(): Letter[] {
  const dir = mailDir();
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.eml') && !name.startsWith('.'))
    .sort()
    .map((name) => {
      const { headers, body } = entity(fs.readFileSync(path.join(dir, name), 'utf8'));
      return {
        file: name,
        to: headers['to'] ?? '',
        subject: headerText(headers['subject'] ?? ''),
        text: plainText(headers, body),
      };
    });
}

/** The letters sent to an address whose subject matches. */
export function lettersTo(address: string, subject: RegExp) {
  return allLetters().filter((l) => l.to.toLowerCase().includes(address.toLowerCase()) && subject.test(l.subject));
}

/**
 * Waits until exactly `count` matching letters have arrived (the server's
 * mail worker sends them moments after the request is stored) and returns
 * the newest.
 */
export async function waitForLetter(address: string, subject: RegExp, count = 1): Promise<Letter> {
  await expect
    .poll(() => lettersTo(address, subject).length, {
      message: `${count} letter(s) to ${address} with a subject like ${subject}`,
      timeout: 15_000,
    })
    .toBe(count);
  return lettersTo(address, subject).at(-1)!;
}

/** The first address in a letter's text that starts with `prefix`. */
export function linkIn(letter: Letter, prefix: string) {
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const found = new RegExp(`${escaped}[A-Za-z0-9_-]+`).exec(letter.text)?.[0];
  expect(found, `a link starting with ${prefix} in "${letter.subject}":\n${letter.text}`).toBeTruthy();
  return found!;
}
