/**
 * A plain web site on its own origin (http://localhost:PORT, while runtimes listen on 127.0.0.1)
 * that serves host pages embedding the widget from elsewhere, like a customer's site would.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WidgetHostSite {
  /** http://localhost:PORT (no trailing slash) */
  origin: string;
  /** Serve `html` at `path` from now on. */
  setPage(path: string, html: string): void;
  close(): Promise<void>;
}

/** A page with a heading, some text and the given script tag. */
export function hostPage(scriptTag: string): string {
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Host</title></head>' +
    `<body style="font-family: serif; background: #fafafa"><h1>Host page</h1><p>Some content.</p>${scriptTag}</body></html>`
  );
}

export async function startWidgetHostSite(): Promise<WidgetHostSite> {
  const pages = new Map<string, string>();
  const server = createServer((req, res) => {
    const html = pages.get(req.url ?? '');
    res.writeHead(html ? 200 : 404, { 'Content-Type': 'text/html; charset=utf-8' }).end(html ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://localhost:${(server.address() as AddressInfo).port}`,
    setPage: (path, html) => pages.set(path, html),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
