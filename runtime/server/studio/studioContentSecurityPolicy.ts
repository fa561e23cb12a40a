/**
 * The studio page's Content-Security-Policy: the one source for both hosts (the web-mode server
 * sends it with /studio/, and the desktop shell adds it to every /studio/ response of its embedded
 * runtime, so a changed server can only make the page stricter). No Node imports: the Electron
 * main bundle includes it.
 */

/**
 * The policy for the studio served at `host` ("127.0.0.1:PORT"): only its own scripts (no inline or
 * eval), workers from itself or blobs, fetch and websockets to this server only, frames (the
 * preview) from this server only, never framed itself. Inline styles stay allowed: Monaco and
 * React Flow set `style` attributes at run time (see DEVELOPERS.md, "Content-Security-Policy").
 */
export function studioContentSecurityPolicy(host: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self' ws://${host}`,
    "worker-src 'self' blob:",
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
