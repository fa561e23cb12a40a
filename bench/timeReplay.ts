import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { SESSION_COOKIE } from '../runtime/server/sessionCookie.ts';

/** Reconnects a session by its cookie; ms until its whole history (`frames` frames) has arrived. */
export function timeReplay(url: string, sid: string, frames: number): Promise<number> {
  const t0 = performance.now();
  const ws = new WebSocket(url.replace(/^http/, 'ws'), { headers: { Cookie: `${SESSION_COOKIE}=${sid}` }, perMessageDeflate: false });
  let received = 0;
  return new Promise((resolve, reject) => {
    ws.on('message', () => {
      if (++received < frames) return;
      resolve(performance.now() - t0);
      ws.terminate();
    });
    ws.once('error', reject);
    ws.once('close', () => reject(new Error(`session ${sid.slice(0, 8)}: socket closed after ${received} of ${frames} frames`)));
  });
}
