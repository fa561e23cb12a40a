/**
 * Which pages may open the bot websocket: the server's own origin (Origin host == Host), plus an
 * explicit allowlist. Clients that send no Origin (not a browser) are allowed: the check exists
 * to stop other sites from driving a visitor's session with the visitor's cookie.
 */
import type { IncomingHttpHeaders } from 'node:http';

export type OriginCheck = (headers: IncomingHttpHeaders) => boolean;

/**
 * Build the check. Each allowed origin is a URL (`https://shop.example.com`); only its origin part
 * counts. Throws with the offending entry when one is not a URL.
 */
export function createOriginCheck(allowedOrigins: readonly string[] = []): OriginCheck {
  const allowed = new Set<string>();
  for (const entry of allowedOrigins) {
    let origin: string;
    try {
      origin = new URL(entry).origin;
    } catch {
      throw new Error(`allowed origin "${entry}" is not a URL: write it like https://example.com`);
    }
    if (origin === 'null') throw new Error(`allowed origin "${entry}" has no origin: use an http(s) URL`);
    allowed.add(origin);
  }
  return (headers) => {
    const origin = headers.origin;
    if (origin === undefined) return true;
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false;
    }
    if (url.origin === 'null') return false;
    if (allowed.has(url.origin)) return true;
    const host = headers.host;
    if (!host) return false;
    try {
      return new URL(`${url.protocol}//${host}`).host === url.host;
    } catch {
      return false;
    }
  };
}
