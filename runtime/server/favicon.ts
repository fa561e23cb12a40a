/**
 * The icon browsers show in the tab of every page this server serves (the widget's demo page, the
 * operator console, the studio in a browser): the app's icon (build/icon.svg) without its small
 * state machine, which is a smudge at 16 px. `/favicon.svg` for the pages' `<link rel="icon">`,
 * `/favicon.ico` for browsers and tools that ask for it unprompted.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">
<defs><linearGradient id="bg" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#3b3fb8"/><stop offset="1" stop-color="#139c9c"/></linearGradient></defs>
<rect width="64" height="64" rx="14" fill="url(#bg)"/>
<path d="M16 12H48A7 7 0 0 1 55 19V39A7 7 0 0 1 48 46H30L21 54V46H16A7 7 0 0 1 9 39V19A7 7 0 0 1 16 12Z" fill="#fff"/>
<circle cx="21" cy="29" r="4" fill="#3b3fb8"/><rect x="28" y="25" width="8" height="8" rx="2" fill="#139c9c"/><circle cx="43" cy="29" r="4" fill="#f2a93b"/>
</svg>
`;
const BODY = Buffer.from(FAVICON_SVG);
const PATHS = new Set(['/favicon.svg', '/favicon.ico']);

/** Answers a GET or HEAD of the icon; false for any other request. */
export function serveFavicon(req: IncomingMessage, res: ServerResponse, pathname: string): boolean {
  if (!PATHS.has(pathname) || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
  res.writeHead(200, { 'Content-Type': 'image/svg+xml', 'Content-Length': BODY.length, 'Cache-Control': 'public, max-age=86400' });
  res.end(req.method === 'HEAD' ? undefined : BODY);
  return true;
}
