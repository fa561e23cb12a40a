/**
 * The session cookie the article's proxy used (`Fluvio-Bot-Assistant`), made safer: 160 random
 * bits, HttpOnly, SameSite=Lax, Secure over TLS. Parsing tolerates any garbage in the Cookie header.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

export const SESSION_COOKIE = 'Fluvio-Bot-Assistant';

/** 20 random bytes as 40 lowercase hex characters, like the original server's ids. */
const SID_PATTERN = /^[0-9a-f]{40}$/;

/** A fresh session id: 160 bits from the system CSPRNG. */
export function newSessionId(): string {
  return randomBytes(20).toString('hex');
}

/**
 * The session id in a Cookie header, or undefined. Pairs without `=`, with other names or with a
 * value that is not a session id are skipped (never decoded, so `%E0%A4%A` cannot throw); with
 * several session cookies, the first well-formed one wins.
 */
export function readSessionCookie(header: string | string[] | undefined, name = SESSION_COOKIE): string | undefined {
  if (header === undefined) return undefined;
  const text = Array.isArray(header) ? header.join('; ') : header;
  for (const pair of text.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0 || pair.slice(0, eq).trim() !== name) continue;
    let value = pair.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (SID_PATTERN.test(value)) return value;
  }
  return undefined;
}

/**
 * The Set-Cookie header value for a session. `httpOnly: false` is `serve --cookie-compat`: the
 * article's widget resets by clearing the cookie from script, which HttpOnly forbids.
 */
export function sessionCookieHeader(sid: string, secure: boolean, name = SESSION_COOKIE, httpOnly = true): string {
  return `${name}=${sid}; Path=/${httpOnly ? '; HttpOnly' : ''}; SameSite=Lax${secure ? '; Secure' : ''}`;
}

/** Did the request reach us over TLS, directly or through a proxy that says so? */
export function isSecureRequest(req: IncomingMessage): boolean {
  if ((req.socket as TLSSocket).encrypted) return true;
  const forwarded = req.headers['x-forwarded-proto'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim().toLowerCase();
  return first === 'https';
}
