/**
 * Serves the widget: `GET /` is its demo page (`index.html`), `GET /widget/assistant.js` and
 * `assistant.css` the widget joined from its sources (built on first request, then kept), and
 * `GET /widget/<file>` any other file under the widget folder. Only files inside that folder, only
 * known types, revalidated by ETag.
 */
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { describeError } from '../describeError.ts';
import { setPageSecurityHeaders } from './securityHeaders.ts';
import { buildWidgetBundle, type WidgetBundle } from './widgetBundle.ts';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** Handles a request when it is for the page or a widget file; returns false for any other path. */
export type StaticHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/** Serve the files under `root` (the widget folder). */
export function createStaticFiles(root: string): StaticHandler {
  const base = resolve(root);
  let bundle: Promise<WidgetBundle> | undefined;
  const widgetBundle = () => {
    bundle ??= buildWidgetBundle(join(base, 'src')).catch((error: unknown) => {
      bundle = undefined; // a later request tries again
      throw error;
    });
    return bundle;
  };
  return async (req, res) => {
    const pathname = (req.url ?? '/').split('?', 1)[0];
    let relative: string;
    if (pathname === '/' || pathname === '/index.html') relative = 'index.html';
    else if (pathname.startsWith('/widget/')) relative = pathname.slice('/widget/'.length);
    else return false;

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('Method not allowed\n');
      return true;
    }
    if (relative === 'assistant.js' || relative === 'assistant.css') {
      let built;
      try {
        built = (await widgetBundle()).get(relative);
      } catch (error) {
        res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`The widget could not be built from runtime/widget/src: ${describeError(error)}\n`);
        return true;
      }
      if (!built) return notFound(res);
      return sendBody(req, res, CONTENT_TYPES[extname(relative)], built.etag, () => built.body);
    }
    const file = safePath(base, relative);
    const type = file && CONTENT_TYPES[extname(file).toLowerCase()];
    if (!file || !type) return notFound(res);

    let info;
    try {
      info = await stat(file);
    } catch {
      return notFound(res);
    }
    if (!info.isFile()) return notFound(res);

    const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
    return sendBody(req, res, type, etag, () => readFile(file));
  };
}

/** Answers with `body()` (read only when needed), or 304 when the client holds this ETag; always revalidated. */
async function sendBody(req: IncomingMessage, res: ServerResponse, type: string, etag: string, body: () => Buffer | Promise<Buffer>): Promise<true> {
  res.setHeader('ETag', etag);
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('Content-Type', type);
  if (type.startsWith('text/html')) setPageSecurityHeaders(res, req.headers.host);
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304).end();
    return true;
  }
  let bytes: Buffer;
  try {
    bytes = await body();
  } catch {
    return notFound(res);
  }
  res.setHeader('Content-Length', bytes.length);
  res.writeHead(200).end(req.method === 'HEAD' ? undefined : bytes);
  return true;
}

/** The absolute file for a URL path under `base`, or undefined when it is malformed or leaves `base`. */
function safePath(base: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const segments = decoded.split('/');
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..' || segment.startsWith('.'))) return undefined;
  const file = join(base, ...segments);
  return file.startsWith(base + sep) ? file : undefined;
}

function notFound(res: ServerResponse): true {
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
  return true;
}
