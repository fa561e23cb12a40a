import { readFile, realpath, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { HostApiError } from './HostApiError.ts';
import { isInside } from './resolveFlowPath.ts';
import { studioContentSecurityPolicy } from './studioContentSecurityPolicy.ts';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Serves the built studio from `staticReal`: index.html with the launch and preview tokens, other files as they are. */
export async function serveStudioFile(
  res: ServerResponse,
  staticReal: string,
  relativePath: string,
  options: { host: string; token: string; previewToken: string; headOnly: boolean },
): Promise<void> {
  if (relativePath === '' || relativePath === 'index.html') {
    const page = await readFile(path.join(staticReal, 'index.html'), 'utf8').catch(() => {
      throw new HostApiError(503, `The studio is not built (no ${path.join(staticReal, 'index.html')}): run \`npm run build\`.`);
    });
    const body = injectTokens(page, options.token, options.previewToken);
    res.writeHead(200, {
      'Content-Type': CONTENT_TYPES['.html'],
      'Content-Length': Buffer.byteLength(body),
      'Content-Security-Policy': studioContentSecurityPolicy(options.host),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    });
    res.end(options.headOnly ? undefined : body);
    return;
  }

  const notFound = () => new HostApiError(404, `No studio file /studio/${relativePath}.`);
  if (relativePath.includes('\0') || relativePath.split('/').some((s) => s === '..' || s.startsWith('.'))) throw notFound();
  let file: string;
  try {
    file = await realpath(path.join(staticReal, relativePath));
  } catch {
    throw notFound();
  }
  if (!isInside(staticReal, file) || !(await stat(file)).isFile()) throw notFound();
  const body = await readFile(file);
  res.writeHead(200, {
    'Content-Type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
    'Content-Length': body.length,
    // Vite names assets by content hash; anything else must be revalidated.
    'Cache-Control': relativePath.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(options.headOnly ? undefined : body);
}

function injectTokens(page: string, token: string, previewToken: string): string {
  const meta = `<meta name="studio-token" content="${escapeAttribute(token)}">\n    <meta name="preview-access" content="${escapeAttribute(previewToken)}">`;
  const head = /<head[^>]*>/i.exec(page);
  if (!head) return meta + page;
  const at = head.index + head[0].length;
  return `${page.slice(0, at)}\n    ${meta}${page.slice(at)}`;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
