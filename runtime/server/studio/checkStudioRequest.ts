import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HostApiError } from './HostApiError.ts';

const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * The studio's gate, run before anything under /studio is served: the request must come from
 * this machine, name this server in its Host header (a DNS-rebinding page names its own host),
 * and, when the browser sends an Origin, come from the studio's own origin. `opaqueOrigin` also
 * lets `Origin: null` in (the sandboxed preview page's socket; its caller must then ask for the
 * preview token). Returns the checked Host header.
 */
export function checkStudioRequest(req: IncomingMessage, { opaqueOrigin = false } = {}): string {
  const remote = req.socket.remoteAddress ?? '';
  if (!LOOPBACK_ADDRESSES.has(remote)) {
    throw new HostApiError(403, `Refused: the studio only answers requests from this machine (this one came from ${remote}).`);
  }
  const port = req.socket.localPort;
  const host = req.headers.host ?? '';
  if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
    throw new HostApiError(
      403,
      `Refused: Host ${JSON.stringify(host)} is not this studio's address; open http://127.0.0.1:${port}/studio/ instead.`,
    );
  }
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${host}` && !(opaqueOrigin && origin === 'null')) {
    throw new HostApiError(403, `Refused: cross-origin request from ${JSON.stringify(origin)}; the studio API only answers its own page (http://${host}).`);
  }
  return host;
}

/** Checks the per-launch token the studio page sends in `X-Studio-Token`. */
export function checkStudioToken(req: IncomingMessage, token: string): void {
  const sent = req.headers['x-studio-token'];
  if (typeof sent !== 'string' || sent.length === 0) {
    throw new HostApiError(403, 'Refused: the X-Studio-Token header is missing; reload the studio page from the address `npm run studio` printed.');
  }
  const expected = Buffer.from(token);
  const actual = Buffer.from(sent);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    throw new HostApiError(403, 'Refused: wrong X-Studio-Token (the studio was restarted?); reload the studio page.');
  }
}
