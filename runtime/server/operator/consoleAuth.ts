/**
 * Who may use the operator console: signed-in operators (a random token in an HttpOnly,
 * SameSite=Strict cookie), on a Host the server answers to, from pages of that same origin.
 * The Host check stops DNS-rebinding pages; the Origin check stops other sites from using an
 * operator's cookie.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { OperatorAccount } from './operatorAccounts.ts';

export const OPERATOR_COOKIE = 'bot-operator';
/** How long a sign-in lasts. */
const SIGN_IN_MS = 12 * 60 * 60_000;

export class ConsoleAuth {
  private readonly signIns = new Map<string, { account: OperatorAccount; expires: number }>();

  /**
   * `hosts`: the Host headers the console answers to; empty means loopback names on the server's
   * port (127.0.0.1, localhost, [::1]), read through `port()` once the server listens.
   */
  constructor(
    private readonly hosts: readonly string[],
    private readonly port: () => number,
  ) {}

  /** Is the Host header one this console answers to? */
  hostAllowed(headers: IncomingHttpHeaders): boolean {
    const host = headers.host?.toLowerCase();
    if (!host) return false;
    if (this.hosts.length > 0) return this.hosts.includes(host);
    const port = this.port();
    return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(host);
  }

  /** Does the request come from a page of this console's own origin (Origin present and equal to the Host)? */
  sameOrigin(headers: IncomingHttpHeaders): boolean {
    const origin = headers.origin;
    if (!origin || !headers.host) return false;
    try {
      const url = new URL(origin);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.host === headers.host.toLowerCase();
    } catch {
      return false;
    }
  }

  /** Start a sign-in; returns the Set-Cookie header value. */
  signIn(account: OperatorAccount, secure: boolean): string {
    const token = randomBytes(32).toString('base64url');
    this.signIns.set(token, { account, expires: Date.now() + SIGN_IN_MS });
    return `${OPERATOR_COOKIE}=${token}; Path=/operator; HttpOnly; SameSite=Strict; Max-Age=${SIGN_IN_MS / 1000}${secure ? '; Secure' : ''}`;
  }

  /** The signed-in account of a request, if any. */
  accountOf(headers: IncomingHttpHeaders): OperatorAccount | undefined {
    const token = readCookie(headers.cookie);
    const entry = token === undefined ? undefined : this.signIns.get(token);
    if (!entry) return undefined;
    if (entry.expires < Date.now()) {
      this.signIns.delete(token!);
      return undefined;
    }
    return entry.account;
  }

  /** End a request's sign-in; returns the Set-Cookie header that clears it. */
  signOut(headers: IncomingHttpHeaders): string {
    const token = readCookie(headers.cookie);
    if (token !== undefined) this.signIns.delete(token);
    return `${OPERATOR_COOKIE}=; Path=/operator; HttpOnly; SameSite=Strict; Max-Age=0`;
  }
}

function readCookie(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === OPERATOR_COOKIE) return rest.join('=') || undefined;
  }
  return undefined;
}
