/**
 * The preview page the studio frames: an empty page with the real widget script (as production
 * embeds it), open at load and talking to the preview websocket. `?key=KEY` (the conversation, see
 * previewAdmission.ts) and `?start=STATE` travel on to the socket URL. `?replay=SID&upto=OFFSET`
 * shows a recorded session read-only: the widget gets that session's frames through that record
 * offset, as a reconnect would replay them, and can send nothing.
 *
 * The page is sandboxed by its own policy (CSP `sandbox` without allow-same-origin), whether it is
 * framed or popped out: it runs in an opaque origin, so nothing in it can reach the studio's page,
 * its host API or its cookies. It therefore sends no cookies either: `?access=TOKEN` (the studio's
 * preview token, which opens previews and nothing else) travels on to its stylesheet, script and
 * socket. Framable by this origin only (the studio).
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { PREVIEW_ACCESS_PARAM, PREVIEW_KEY_PARAM, PREVIEW_SANDBOX } from '../../contract/previewPage.ts';

export const PREVIEW_PAGE_PATH = '/preview/';
export const PREVIEW_SOCKET_PATH = '/preview-socket';
/** The page's own files: its stylesheet, and the script that tells the studio when the widget is ready. */
const ASSETS: Record<string, { file: string; type: string }> = {
  '/preview/preview.css': { file: fileURLToPath(new URL('./preview.css', import.meta.url)), type: 'text/css; charset=utf-8' },
  '/preview/preview.js': { file: fileURLToPath(new URL('./preview.js', import.meta.url)), type: 'text/javascript; charset=utf-8' },
};
const HOST_PATTERN = /^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/** Answers `/preview`, `/preview/` and its stylesheet; returns false for any other path. `hasSession` says whether a replay's sid was recorded. */
export async function servePreviewPage(req: IncomingMessage, res: ServerResponse, hasSession: (sid: string) => boolean): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://preview.invalid');
  if (url.pathname !== '/preview' && !url.pathname.startsWith(PREVIEW_PAGE_PATH)) return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('Method not allowed\n');
    return true;
  }
  if (url.pathname === '/preview') {
    res.writeHead(301, { Location: `${PREVIEW_PAGE_PATH}${url.search}` }).end();
    return true;
  }
  const head = req.method === 'HEAD';
  const asset = ASSETS[url.pathname];
  if (asset) {
    const body = await readFile(asset.file);
    res.writeHead(200, { 'Content-Type': asset.type, 'Content-Length': body.length, 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' }).end(head ? undefined : body);
    return true;
  }
  if (url.pathname !== PREVIEW_PAGE_PATH) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
    return true;
  }
  const host = req.headers.host;
  const validHost = host !== undefined && HOST_PATTERN.test(host) ? host : undefined;
  const access = url.searchParams.get(PREVIEW_ACCESS_PARAM)?.slice(0, 200) || undefined;
  const replay = replayOf(url.searchParams, hasSession);
  let status = 200;
  let body: string;
  if (replay === null) body = previewHtml(socketUrl(url.searchParams, validHost, access), false, access);
  else if ('problem' in replay) {
    status = replay.status;
    body = problemHtml(replay.problem, access);
  } else body = previewHtml(replaySocketUrl(replay, validHost, access), true, access);
  const sockets = validHost ? ` ws://${validHost} wss://${validHost}` : '';
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    'Content-Security-Policy': `sandbox ${PREVIEW_SANDBOX}; default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'${sockets}; base-uri 'none'; form-action 'none'; frame-ancestors 'self'`,
    'X-Frame-Options': 'SAMEORIGIN',
    // The address carries the preview token: it never leaves in a Referer.
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(head ? undefined : body);
  return true;
}

/** The preview socket's URL: absolute when the Host is known (ws:// like the page), with the page's key, start and access. */
function socketUrl(params: URLSearchParams, host: string | undefined, access: string | undefined): string {
  const query = new URLSearchParams();
  for (const name of [PREVIEW_KEY_PARAM, 'start']) {
    const value = params.get(name);
    if (value) query.set(name, value.slice(0, 1000));
  }
  return socketAddress(query, host, access);
}

function socketAddress(query: URLSearchParams, host: string | undefined, access: string | undefined): string {
  if (access) query.set(PREVIEW_ACCESS_PARAM, access);
  const search = query.size > 0 ? `?${query}` : '';
  return host ? `ws://${host}${PREVIEW_SOCKET_PATH}${search}` : `${PREVIEW_SOCKET_PATH}${search}`;
}

/** One of the page's own files, with the page's preview token (the sandboxed page sends no cookie). */
function assetUrl(path: string, access: string | undefined): string {
  return access ? `${path}?${new URLSearchParams({ [PREVIEW_ACCESS_PARAM]: access })}` : path;
}

type ReplayRequest = { sid: string; upto: number | null } | { problem: string; status: 400 | 404 };

/** The page's replay request (null for the live preview), or what is wrong with it. */
function replayOf(params: URLSearchParams, hasSession: (sid: string) => boolean): ReplayRequest | null {
  const sid = params.get('replay');
  if (sid === null) return null;
  if (sid === '' || sid.length > 200) return { problem: 'The replay needs a session id: ?replay=SESSION_ID.', status: 400 };
  const upto = params.get('upto');
  if (upto !== null && !/^\d{1,15}$/.test(upto)) return { problem: `upto must be a record offset (a whole number), got ${JSON.stringify(upto.slice(0, 40))}.`, status: 400 };
  if (!hasSession(sid)) return { problem: `No recorded session has the id ${JSON.stringify(sid)}: it cannot be replayed.`, status: 404 };
  return { sid, upto: upto === null ? null : Number(upto) };
}

function replaySocketUrl(replay: { sid: string; upto: number | null }, host: string | undefined, access: string | undefined): string {
  const query = new URLSearchParams({ replay: replay.sid });
  if (replay.upto !== null) query.set('upto', String(replay.upto));
  return socketAddress(query, host, access);
}

function problemHtml(problem: string, access: string | undefined): string {
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>Bot preview: replay unavailable</title>
    <link rel="stylesheet" href="${escapeAttribute(assetUrl('/preview/preview.css', access))}">
    <script src="${escapeAttribute(assetUrl('/preview/preview.js', access))}" defer></script>
  </head>
  <body>
    <p class="preview-problem" role="alert">${escapeAttribute(problem)}</p>
  </body>
</html>
`;
}

function previewHtml(server: string, readOnly: boolean, access: string | undefined): string {
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Bot preview</title>
    <link rel="stylesheet" href="${escapeAttribute(assetUrl('/preview/preview.css', access))}">
    <script src="${escapeAttribute(assetUrl('/preview/preview.js', access))}" defer></script>
  </head>
  <body>
    <script src="/widget/assistant.js" data-server="${escapeAttribute(server)}" data-open="true" data-title="Bot Assistant"${readOnly ? ' data-readonly="true"' : ''} defer></script>
  </body>
</html>
`;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
