/**
 * The studio's web-mode host: the built studio page and the host API under /studio, on the
 * runtime's own server (see `createStudioHost` below for the API and its checks).
 */
import { randomBytes } from 'node:crypto';
import { realpathSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkStudioRequest, checkStudioToken } from './studio/checkStudioRequest.ts';
import { PREVIEW_ACCESS_PARAM } from '../contract/previewPage.ts';
import { PREVIEW_PAGE_PATH } from './preview/previewPage.ts';
import type { PreviewControl } from './preview/previewService.ts';
import { HostApiError } from './studio/HostApiError.ts';
import { routeHistory } from './studio/historyRoutes.ts';
import type { SessionHistory } from '../history/sessionHistory.ts';
import { setPreviewFlow, streamPreviewSteps } from './studio/previewRoutes.ts';
import type { StudioPublishing } from './publish/studioPublishing.ts';
import { routePublish } from './studio/studioPublishRoutes.ts';
import { readJsonBody } from './studio/readJsonBody.ts';
import { serveStudioFile } from './studio/serveStudioFiles.ts';
import { accessCookieHeader, hasPreviewAccess, requireStudioAccess, tokenFromQuery, withoutToken } from './studio/studioAccess.ts';
import { WorkspaceFlows } from './studio/workspaceFlows.ts';
import type { OperatorIdentity } from './operator/conversations.ts';

export interface StudioHostOptions {
  /**
   * The folder whose flows the studio may read and write over /studio/api/; nothing outside it is
   * reachable. Absent: no host API at all (the desktop, whose window reaches its host over IPC).
   */
  workspace?: string;
  /** the built renderer (dist/studio) */
  staticDir: string;
  /** per-launch secret: in the printed address (traded for a cookie), and in `X-Studio-Token` on API calls */
  token: string;
  /** largest accepted request body; 10 MiB by default */
  maxBodyBytes?: number;
  /** told after each successful write to the workspace (e.g. to hot-reload the running flow) */
  onChange?(change: WorkspaceChange): void;
  /** the runtime's previews (asked per request: the runtime starts after the host is made) */
  preview?(): PreviewControl | undefined;
  /** the recorded sessions (asked per request, like `preview`) */
  history?(): SessionHistory | undefined;
  /** publishing to running servers (the Publish dialog); absent: the publish endpoints answer 503 */
  publishing?: StudioPublishing;
  /** the name visitors see when the author answers them from the Live tab; default "Support" */
  operatorName?: string;
}

/** A change the host API made to the workspace. */
export type WorkspaceChange =
  | { kind: 'saved' | 'created'; ref: string; text: string }
  | { kind: 'renamed'; from: string; ref: string }
  | { kind: 'deleted'; ref: string };

/** What the runtime's `start({ studio })` needs: a handler tried first for every HTTP request. */
export interface StudioRequestHandler {
  /** Answers requests under /studio and returns true; returns false for anything else. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /**
   * The gate for the preview page and socket: null to let the request in, else why not (the
   * studio's own Host check; the preview token in the address, or the studio's own token and Origin).
   */
  admitPreview(req: IncomingMessage): HostApiError | null;
  /**
   * This launch's preview token (the studio page gets it in `<meta name="preview-access">`): it
   * opens the sandboxed preview pages and socket, and nothing else.
   */
  readonly previewToken: string;
  /**
   * The studio's author as an operator (the Live tab: every queue, takeovers, previews), for a
   * request that passes the same gate as the preview; undefined for anyone else.
   */
  operatorOf(req: IncomingMessage): OperatorIdentity | undefined;
}

/** The operator id of the studio's author (one user per studio). */
export const STUDIO_OPERATOR_ID = 'studio-author';

const STUDIO_PREFIX = '/studio';
const API_PREFIX = '/studio/api/';
const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * The web-mode studio host: serves the built studio at /studio/ (with the launch token in the
 * page and a strict CSP) and the host API under /studio/api/ over the workspace's flow files.
 * Only for 127.0.0.1: every request is checked for a loopback peer, this server's Host and,
 * when present, its own Origin, and must carry the launch token (studio/studioAccess.ts): pages
 * in the access cookie the printed address sets, API calls in `X-Studio-Token` too. The preview
 * pages and socket run sandboxed (an opaque origin, no cookies): they carry a second token, the
 * preview token, in their address; it opens them and nothing else.
 *
 * API (JSON in, JSON out; errors are `{ error }` with a 4xx/5xx status):
 * - `GET /studio/api/flows` -> `{ flows: FlowFileInfo[] }`
 * - `GET /studio/api/flow?ref=R` -> `OpenedFlow` (with the pair's `version`)
 * - `PUT /studio/api/flow` `{ ref, text, layout, baseVersion }` -> `{ ok: true, version }` (layout null
 *   removes the sidecar; baseVersion null overwrites), or 409 `{ error, conflict: { version, exists } }`
 *   when the files changed since `baseVersion`: nothing is written
 * - `GET /studio/api/flow/tests?ref=R` -> `{ text }` (the flow's `<name>.tests.json`, null when none)
 * - `PUT /studio/api/flow/tests` `{ ref, text }` -> `{ ok: true }` (400 when the text is not a valid tests file)
 * - `POST /studio/api/flows` `{ name, text }` -> 201 `{ ref }` (409 if it exists)
 * - `POST /studio/api/flow/rename` `{ ref, newName }` -> `{ ref }` (409 if the new name exists)
 * - `DELETE /studio/api/flow?ref=R` -> `{ ok: true }`
 * - `POST /studio/api/preview/flow`, `GET /studio/api/preview/events`: see studio/previewRoutes.ts
 * - `GET /studio/api/sessions`, `GET /studio/api/sessions/<sid>`, `POST /studio/api/coverage`: see studio/historyRoutes.ts
 * - `/studio/api/publish…` (publish to a running server, its versions, rollback): see studio/studioPublishRoutes.ts
 */
export function createStudioHost(options: StudioHostOptions): StudioRequestHandler {
  if (options.token.length < 16) throw new Error('createStudioHost: the token must be at least 16 characters of randomness.');
  const flows = options.workspace === undefined ? undefined : new WorkspaceFlows(realpathOrThrow(options.workspace, 'workspace'));
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  let staticReal: string | undefined;
  const changed = (change: WorkspaceChange) => options.onChange?.(change);
  const previewToken = randomBytes(32).toString('hex');

  async function route(req: IncomingMessage, res: ServerResponse, url: URL, host: string): Promise<void> {
    const method = req.method ?? 'GET';
    if (url.pathname.startsWith(API_PREFIX)) {
      checkStudioToken(req, options.token);
      if (!flows) throw new HostApiError(404, 'This studio has no HTTP host API: the desktop app reaches its files over IPC.');
      const endpoint = `${method} ${url.pathname.slice(API_PREFIX.length)}`;
      switch (endpoint) {
        case 'GET flows':
          return sendJson(res, 200, { flows: await flows.list() });
        case 'GET flow':
          return sendJson(res, 200, await flows.open(url.searchParams.get('ref')));
        case 'PUT flow': {
          const body = await readObjectBody(req, maxBodyBytes);
          if (!('baseVersion' in body)) throw new HostApiError(400, '"baseVersion" is missing: name the version the save is based on (from open or the last save), or null to overwrite.');
          const { ref, result } = await flows.save(body.ref, body.text, body.layout ?? null, body.baseVersion);
          if (!result.saved) {
            return sendJson(res, 409, {
              error: `${ref} ${result.conflict.exists ? 'changed on disk' : 'was deleted'} since it was opened; nothing was saved.`,
              conflict: result.conflict,
            });
          }
          sendJson(res, 200, { ok: true, version: result.version });
          return changed({ kind: 'saved', ref, text: body.text as string });
        }
        case 'GET flow/tests':
          return sendJson(res, 200, { text: await flows.readTests(url.searchParams.get('ref')) });
        case 'PUT flow/tests': {
          const body = await readObjectBody(req, maxBodyBytes);
          await flows.writeTests(body.ref, body.text);
          return sendJson(res, 200, { ok: true });
        }
        case 'POST flows': {
          const body = await readObjectBody(req, maxBodyBytes);
          const ref = await flows.create(body.name, body.text);
          sendJson(res, 201, { ref });
          return changed({ kind: 'created', ref, text: body.text as string });
        }
        case 'POST flow/rename': {
          const body = await readObjectBody(req, maxBodyBytes);
          const { from, ref } = await flows.rename(body.ref, body.newName);
          sendJson(res, 200, { ref });
          return changed({ kind: 'renamed', from, ref });
        }
        case 'DELETE flow': {
          const ref = await flows.remove(url.searchParams.get('ref'));
          sendJson(res, 200, { ok: true });
          return changed({ kind: 'deleted', ref });
        }
        case 'POST preview/flow':
          return sendJson(res, 200, await setPreviewFlow(options.preview?.(), await readObjectBody(req, maxBodyBytes)));
        case 'GET preview/events':
          return streamPreviewSteps(req, res, options.preview?.());
        default: {
          const published = await routePublish(req, endpoint, options.publishing, maxBodyBytes);
          if (published) return sendJson(res, published.status, published.body);
          const answer = await routeHistory(req, url, endpoint, options.history?.(), maxBodyBytes);
          if (answer) return sendJson(res, answer.status, answer.body);
          throw new HostApiError(404, `No studio API endpoint ${method} ${url.pathname}.`);
        }
      }
    }
    if (method !== 'GET' && method !== 'HEAD') throw new HostApiError(405, `${method} is not allowed on studio pages.`);
    if (tokenFromQuery(url, options.token) !== undefined) {
      // The printed address: trade the token for the cookie, and take it out of the address bar.
      url.pathname = url.pathname === STUDIO_PREFIX ? `${STUDIO_PREFIX}/` : url.pathname;
      res.writeHead(303, { Location: withoutToken(url), 'Set-Cookie': accessCookieHeader(req.socket.localPort ?? 0, options.token), 'Cache-Control': 'no-store' });
      res.end();
      return;
    }
    requireStudioAccess(req, options.token, 'The studio');
    if (url.pathname === STUDIO_PREFIX) {
      res.writeHead(301, { Location: `${STUDIO_PREFIX}/` });
      res.end();
      return;
    }
    staticReal ??= realpathOrThrow(options.staticDir, 'staticDir (the built studio; run `npm run build`)');
    let relative: string;
    try {
      relative = decodeURIComponent(url.pathname.slice(STUDIO_PREFIX.length + 1));
    } catch {
      throw new HostApiError(400, `Malformed URL ${url.pathname}.`);
    }
    await serveStudioFile(res, staticReal, relative, { host, token: options.token, previewToken, headOnly: method === 'HEAD' });
  }

  const admit = (req: IncomingMessage, what: string): HostApiError | null => {
    try {
      checkStudioRequest(req);
      requireStudioAccess(req, options.token, what);
      return null;
    } catch (error) {
      if (error instanceof HostApiError) return error;
      throw error;
    }
  };
  // The preview page is sandboxed: an opaque origin (Origin: null) with no cookies, so it brings the
  // preview token in its address. The studio's own token opens previews too, but only from its origin.
  const admitPreviewRequest = (req: IncomingMessage): HostApiError | null => {
    try {
      checkStudioRequest(req, { opaqueOrigin: true });
    } catch (error) {
      if (error instanceof HostApiError) return error;
      throw error;
    }
    if (hasPreviewAccess(req, previewToken)) return null;
    if (req.headers.origin === 'null') return new HostApiError(401, 'The studio preview needs this launch\'s preview token in its address (?access=…): open it from the studio.');
    return admit(req, 'The studio preview');
  };
  const author: OperatorIdentity = { id: STUDIO_OPERATOR_ID, name: options.operatorName?.trim() || 'Support', queues: ['*'] };

  return {
    previewToken,
    admitPreview: admitPreviewRequest,
    operatorOf: (req) => (admit(req, 'The Live tab') === null ? author : undefined),
    async handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://studio.invalid');
      if (url.pathname === PREVIEW_PAGE_PATH && (req.method === 'GET' || req.method === 'HEAD') && !hasPreviewAccess(req, previewToken) && admit(req, 'The studio preview') === null) {
        // A preview page opened with the studio's cookie (an address typed in, a replay link): the
        // sandboxed page sends no cookie for its files and socket, so it needs the preview token.
        url.searchParams.set(PREVIEW_ACCESS_PARAM, previewToken);
        res.writeHead(303, { Location: `${url.pathname}${url.search}`, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' }).end();
        return true;
      }
      if (url.pathname !== STUDIO_PREFIX && !url.pathname.startsWith(`${STUDIO_PREFIX}/`)) return false;
      try {
        const host = checkStudioRequest(req);
        await route(req, res, url, host);
      } catch (error) {
        const status = error instanceof HostApiError ? error.status : 500;
        const message = error instanceof HostApiError ? error.message : `Studio host error: ${(error as Error).message}`;
        if (!res.headersSent) {
          // A refused upload may still be streaming in: close instead of reading it all.
          if (status === 413) res.setHeader('Connection', 'close');
          if (url.pathname.startsWith(API_PREFIX)) sendJson(res, status, { error: message });
          else sendText(res, status, message);
        } else {
          res.destroy(error as Error);
        }
      }
      return true;
    },
  };
}

async function readObjectBody(req: IncomingMessage, limit: number): Promise<Record<string, unknown>> {
  const body = await readJsonBody(req, limit);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HostApiError(400, 'The request body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(body);
}

/** A refusal a person reads in the browser (a page, not an API call). */
function sendText(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(message),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(message);
}

function realpathOrThrow(dir: string, what: string): string {
  try {
    return realpathSync(dir);
  } catch (error) {
    throw new Error(`Studio ${what} ${dir} is not accessible: ${(error as Error).message}`);
  }
}
