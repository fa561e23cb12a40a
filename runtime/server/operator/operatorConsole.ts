/**
 * The operator console over HTTP: `/operator/` is the sign-in page or the console, `/operator/login`
 * and `/operator/logout` sign in and out, `/operator/socket` is the console's websocket. Every
 * request must name an allowed Host; sign-in, sign-out and the socket must come from a page of
 * the same origin; the console and its socket need a signed-in operator.
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Logger } from '../logger.ts';
import { isSecureRequest } from '../sessionCookie.ts';
import { ConsoleAuth } from './consoleAuth.ts';
import { serveConsoleSocket } from './consoleSocket.ts';
import { verifyPassword, type OperatorAccount } from './operatorAccounts.ts';
import type { OperatorService } from './OperatorService.ts';
import type { OperatorIdentity } from './conversations.ts';

export const OPERATOR_SOCKET_PATH = '/operator/socket';
const CONSOLE_DIR = new URL('./console/', import.meta.url);
const FILES: Record<string, { file: string; type: string }> = {
  '/operator/console.js': { file: 'console.js', type: 'text/javascript; charset=utf-8' },
  '/operator/console.css': { file: 'console.css', type: 'text/css; charset=utf-8' },
};

export interface OperatorConsoleOptions {
  service: OperatorService;
  accounts: readonly OperatorAccount[];
  /** Host headers to answer to (e.g. `support.example.com`); default: loopback names on the server's port */
  hosts?: readonly string[];
  port: () => number;
  logger: Logger;
  /** an operator signed in by the host (the studio's author); their pages may be framed by the host's own pages */
  hostOperator?: (req: IncomingMessage) => OperatorIdentity | undefined;
}

export interface OperatorConsole {
  handleRequest(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** true when the upgrade was for the console (answered or refused) */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  close(): Promise<void>;
}

export function createOperatorConsole(options: OperatorConsoleOptions): OperatorConsole {
  const auth = new ConsoleAuth(options.hosts ?? [], options.port);
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024, perMessageDeflate: false });
  const byId = new Map(options.accounts.map((account) => [account.id, account]));
  const byHost = (req: IncomingMessage): OperatorIdentity | undefined => options.hostOperator?.(req);

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const pathname = (req.url ?? '/').split('?', 1)[0];
    if (pathname !== '/operator' && !pathname.startsWith('/operator/')) return false;
    if (!auth.hostAllowed(req.headers)) return plain(res, 421, 'This console does not answer to that host name.');
    const hostSigned = !auth.accountOf(req.headers) && byHost(req) !== undefined;
    setConsoleHeaders(res, req.headers.host!, hostSigned);
    if (pathname === '/operator' || pathname === '/operator/') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'Method not allowed.');
      const page = await readFile(new URL('index.html', CONSOLE_DIR), 'utf8');
      // Signed in by the host: the console inside the host's page, with no sign-out of its own.
      if (hostSigned) return html(res, 200, page.replace('<body>', '<body class="embedded">'));
      if (!auth.accountOf(req.headers)) {
        const query = new URLSearchParams((req.url ?? '').split('?')[1] ?? '');
        return html(res, 200, loginPage(query.get('failed') === '1', (query.get('id') ?? '').slice(0, 64)));
      }
      return html(res, 200, page);
    }
    if (pathname === '/operator/login' || pathname === '/operator/logout') {
      if (req.method !== 'POST') return plain(res, 405, 'Method not allowed.');
      if (!auth.sameOrigin(req.headers)) return plain(res, 403, 'Sign-in must come from the console page itself.');
      if (pathname === '/operator/logout') return redirect(res, auth.signOut(req.headers));
      const form = new URLSearchParams(await readBody(req, 4096));
      const account = byId.get(form.get('id') ?? '');
      // Hash even for an unknown id, so the answer takes as long either way.
      const ok = await verifyPassword(form.get('password') ?? '', account?.password ?? DUMMY_HASH);
      if (!account || !ok) {
        options.logger.warn(`operator console: failed sign-in for ${JSON.stringify((form.get('id') ?? '').slice(0, 64))}`);
        // The id stays in the form: after a mistyped password only the password is typed again.
        return redirect(res, undefined, `/operator/?failed=1&id=${encodeURIComponent((form.get('id') ?? '').slice(0, 64))}`);
      }
      return redirect(res, auth.signIn(account, isSecureRequest(req)));
    }
    const asset = FILES[pathname];
    if (!asset) return plain(res, 404, 'Not found.');
    res.writeHead(200, { 'Content-Type': asset.type, 'Cache-Control': 'no-cache' }).end(await readFile(new URL(asset.file, CONSOLE_DIR)));
    return true;
  }

  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    if ((req.url ?? '/').split('?', 1)[0] !== OPERATOR_SOCKET_PATH) return false;
    const account = auth.hostAllowed(req.headers) && auth.sameOrigin(req.headers) ? (auth.accountOf(req.headers) ?? byHost(req)) : undefined;
    if (!account) {
      options.logger.warn(`operator console: socket refused (host ${JSON.stringify(req.headers.host)}, origin ${JSON.stringify(req.headers.origin)}, signed in: no)`);
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return true;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveConsoleSocket(ws, account, options.service, options.logger));
    return true;
  }

  return {
    handleRequest,
    handleUpgrade,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}

/** A valid hash of a random password: what an unknown id is checked against. */
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

/** `framed`: the page may be shown in a frame of this same origin (the studio's Live tab), else never framed. */
function setConsoleHeaders(res: ServerResponse, host: string, framed: boolean): void {
  res.setHeader(
    'Content-Security-Policy',
    `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ws://${host} wss://${host}; base-uri 'none'; form-action 'self'; frame-ancestors ${framed ? "'self'" : "'none'"}`,
  );
  res.setHeader('X-Frame-Options', framed ? 'SAMEORIGIN' : 'DENY');
  // With no-referrer (the server's default) Chromium sends "Origin: null" on the sign-in form's POST.
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader('Cache-Control', 'no-store');
}

function loginPage(failed: boolean, id: string): string {
  const idValue = id ? ` value="${escapeAttribute(id)}"` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Operator sign-in</title><link rel="icon" type="image/svg+xml" href="/favicon.svg"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/operator/console.css"></head>
<body class="login"><main><h1>Operator console</h1>
${failed ? '<p class="error" role="alert">That id and password do not match an operator. Try again.</p>' : ''}
<form method="post" action="/operator/login">
<label>Operator id <input name="id" autocomplete="username" required${idValue}${failed && id ? '' : ' autofocus'}></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required${failed && id ? ' autofocus' : ''}></label>
<button type="submit">Sign in</button>
</form></main></body></html>
`;
}

function escapeAttribute(text: string): string {
  return text.replace(/[&"<>]/g, (c) => ({ '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;' })[c]!);
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.destroy();
        reject(new Error(`sign-in form larger than ${limit} bytes`));
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function html(res: ServerResponse, status: number, body: string): true {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' }).end(body);
  return true;
}

function plain(res: ServerResponse, status: number, body: string): true {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`${body}\n`);
  return true;
}

function redirect(res: ServerResponse, cookie: string | undefined, to = '/operator/'): true {
  if (cookie) res.setHeader('Set-Cookie', cookie);
  res.writeHead(303, { Location: to }).end();
  return true;
}

