/**
 * A small real http + ws server for the widget's browser tests: it serves `runtime/widget/` under
 * `/widget/` (with the production server's file handler), any extra pages a test hands it, and
 * speaks the widget protocol at `/` by stepping the real pure engine (`runtime/flow/stepSession.ts`). It exists for what the production server
 * cannot do on demand: push frames no flow would make it send (an Error out of the blue, an
 * unknown kind, text that is not JSON).
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import { compileFlow } from '../../runtime/flow/compileFlow.ts';
import { emptyPending, type PendingState } from '../../runtime/flow/pendingState.ts';
import { stepSession } from '../../runtime/flow/stepSession.ts';
import type { Flow } from '../../runtime/flow/types.ts';
import { createStaticFiles } from '../../runtime/server/staticFiles.ts';

const WIDGET_DIR = join(import.meta.dirname, '../../runtime/widget');
const COOKIE = 'Fluvio-Bot-Assistant';

export interface WidgetTestServer {
  /** http://127.0.0.1:PORT/ */
  url: string;
  /** Send a raw frame to every open socket (not recorded in any history). */
  push(frame: unknown): void;
  /** Frames the widget sent, in order, across all sessions. */
  received: unknown[];
  close(): Promise<void>;
}

interface Session {
  pending: PendingState;
  /** Every frame the widget must see on replay, in order. */
  history: string[];
  sockets: Set<WebSocket>;
}

/**
 * Start the server.
 * @param flowJson the flow file's parsed JSON (states in key order)
 * @param pages extra pages: path -> HTML
 */
export async function startWidgetTestServer(flowJson: Record<string, unknown>, pages: Record<string, string> = {}): Promise<WidgetTestServer> {
  const flow: Flow = { states: Object.entries(flowJson).map(([name, state]) => ({ name, state: state as Flow['states'][number]['state'] })) };
  const compiled = compileFlow(flow);
  const sessions = new Map<string, Session>();
  const received: unknown[] = [];

  const serveWidget = createStaticFiles(WIDGET_DIR);
  const http = createServer((req, res) => {
    void (async () => {
      const path = (req.url ?? '/').split('?')[0];
      if (pages[path] !== undefined) {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(pages[path]);
        return;
      }
      if (await serveWidget(req, res)) return;
      res.writeHead(404).end('not found');
    })();
  });

  const wss = new WebSocketServer({ noServer: true });
  http.on('upgrade', (req, socket, head) => {
    if ((req.url ?? '/') !== '/') {
      socket.destroy();
      return;
    }
    let sid = readCookie(req);
    const isNew = !sid || !sessions.has(sid);
    if (isNew) sid = randomBytes(20).toString('hex');
    const headers = isNew ? [`Set-Cookie: ${COOKIE}=${sid}; Path=/; HttpOnly; SameSite=Lax`] : [];
    wss.once('headers', (lines) => lines.push(...headers));
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, sid!));
  });

  function onConnection(ws: WebSocket, sid: string): void {
    let session = sessions.get(sid);
    if (!session) {
      session = { pending: emptyPending(), history: [], sockets: new Set() };
      sessions.set(sid, session);
      const started = stepSession(compiled, session.pending, { kind: 'start' });
      if (started.ok) {
        session.pending = started.pending;
        session.history.push(...started.requests.map((r) => JSON.stringify(r)));
      }
    }
    session.sockets.add(ws);
    for (const frame of session.history) ws.send(frame);
    ws.on('close', () => session.sockets.delete(ws));
    ws.on('message', (data) => onMessage(sid, ws, String(data)));
  }

  function onMessage(sid: string, from: WebSocket, text: string): void {
    const session = sessions.get(sid);
    if (!session) return;
    let message: { kind?: unknown; [field: string]: unknown };
    try {
      message = JSON.parse(text);
    } catch {
      from.send(JSON.stringify({ kind: 'Error', code: 'bad-json', message: 'not JSON' }));
      return;
    }
    received.push(message);
    if (message.kind === 'ResetSession') {
      sessions.delete(sid);
      for (const ws of session.sockets) {
        ws.send(JSON.stringify({ kind: 'SessionReset' }));
        ws.close();
      }
      return;
    }
    const step = stepSession(compiled, session.pending, { kind: 'response', response: message as { kind: string } });
    if (!step.ok) {
      from.send(JSON.stringify({ kind: 'Error', code: step.code, message: step.message }));
      return;
    }
    const echo = JSON.stringify(message);
    session.history.push(echo);
    for (const ws of session.sockets) if (ws !== from) ws.send(echo);
    session.pending = step.pending;
    for (const request of step.requests) {
      const frame = JSON.stringify(request);
      session.history.push(frame);
      for (const ws of session.sockets) ws.send(frame);
    }
  }

  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/`,
    received,
    push(frame) {
      const text = typeof frame === 'string' ? frame : JSON.stringify(frame);
      for (const ws of wss.clients) ws.send(text);
    },
    async close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

function readCookie(req: IncomingMessage): string | undefined {
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const [name, value] = pair.trim().split('=');
    if (name === COOKIE && value) return value;
  }
  return undefined;
}
