/**
 * Response headers that keep browsers from guessing content types and, for pages, limit what the
 * page may load: its own scripts, styles and images, and websockets back to the same host.
 */
import type { ServerResponse } from 'node:http';

/** Headers for every response. */
export function setBaseSecurityHeaders(res: ServerResponse): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
}

/** Headers for an HTML page served to `host` (the request's Host header; anything odd falls back to 'self' only). */
export function setPageSecurityHeaders(res: ServerResponse, host: string | undefined): void {
  const sockets = host && /^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host) ? ` ws://${host} wss://${host}` : '';
  res.setHeader(
    'Content-Security-Policy',
    `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'${sockets}; base-uri 'none'; form-action 'none'`,
  );
}
