/**
 * Who may use the studio: whoever holds this launch's token, and nobody else on the machine.
 * The token is printed once, in the address `npm run studio` shows (as Jupyter does); opening that
 * address trades it for an HttpOnly, SameSite=Strict cookie and redirects to the same page without
 * it, so it leaves the address bar and the history. Anonymous requests get neither page nor token.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { PREVIEW_ACCESS_PARAM } from '../../contract/previewPage.ts';
import { HostApiError } from './HostApiError.ts';

/** The query parameter of the printed address. */
export const TOKEN_PARAM = 'token';

/**
 * The access cookie's name. Cookies ignore ports, so each studio's carries its port: two studios
 * of one user on one machine don't log each other out.
 */
export function accessCookieName(port: number): string {
  return `studio-access-${port}`;
}

/** The Set-Cookie value that grants access: the whole server (path /: the preview pages need it too), this browser session only. */
export function accessCookieHeader(port: number, token: string): string {
  return `${accessCookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}

/** Does the request carry this launch's token, in the access cookie or the X-Studio-Token header? */
export function hasStudioAccess(req: IncomingMessage, token: string): boolean {
  const header = req.headers['x-studio-token'];
  if (typeof header === 'string' && sameSecret(header, token)) return true;
  const cookie = readCookie(req.headers.cookie, accessCookieName(req.socket.localPort ?? 0));
  return cookie !== undefined && sameSecret(cookie, token);
}

/**
 * Does the request's address carry this launch's preview token in `?access=`? The sandboxed
 * preview page sends no cookies, so its page, files and socket carry this token instead. It is a
 * second secret: it opens the preview pages and socket, never the studio or its API.
 */
export function hasPreviewAccess(req: IncomingMessage, previewToken: string): boolean {
  const sent = new URL(req.url ?? '/', 'http://preview.invalid').searchParams.get(PREVIEW_ACCESS_PARAM);
  return sent !== null && sameSecret(sent, previewToken);
}

/** Throws 401 unless the request carries the token (see hasStudioAccess). `what` names what was asked for. */
export function requireStudioAccess(req: IncomingMessage, token: string, what: string): void {
  if (hasStudioAccess(req, token)) return;
  throw new HostApiError(
    401,
    `${what} needs this launch's access token: open the address \`npm run studio\` (or \`npm start\`) printed, the one that ends in ?${TOKEN_PARAM}=…`,
  );
}

/**
 * The token a page request brings in its query (the printed address), or undefined when it has
 * none. Throws 403 when it brings a wrong one (an old address from a previous launch).
 */
export function tokenFromQuery(url: URL, token: string): string | undefined {
  const sent = url.searchParams.get(TOKEN_PARAM);
  if (sent === null) return undefined;
  if (!sameSecret(sent, token)) {
    throw new HostApiError(403, 'This address carries a wrong access token (the studio was restarted?): open the address it printed this time.');
  }
  return sent;
}

/** The address without its token: where the exchange redirects to. */
export function withoutToken(url: URL): string {
  const clean = new URL(url.href);
  clean.searchParams.delete(TOKEN_PARAM);
  return `${clean.pathname}${clean.search}${clean.hash}`;
}

function sameSecret(sent: string, token: string): boolean {
  const expected = Buffer.from(token);
  const actual = Buffer.from(sent);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** The value of cookie `name` in a Cookie header (the first one), or undefined. Tolerates garbage. */
function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const at = pair.indexOf('=');
    if (at < 0) continue;
    if (pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return undefined;
}
