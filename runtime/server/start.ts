/**
 * The bot runtime as a function: `start(options)` opens the stream, starts the session service
 * (websockets, cookies, replay) and the workflow service (engine steps) as the role asks, serves
 * the widget and `/healthz` (503 with the reason while the stream can't write), and returns a handle to hot-reload the flow and to close it all.
 * Called by the CLI (`bot-assistant serve`), by the studio and by tests.
 */
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Flow } from '../flow/types.ts';
import type { MessageStream } from '../stream/messageStream.ts';
import { openStream } from '../stream/openStream.ts';
import { checkFlowObject, loadFlowFile } from './loadFlow.ts';
import { describeError } from '../describeError.ts';
import { silentLogger, type Logger } from './logger.ts';
import { AddressLimits, resolveLimits, type ConnectionLimits } from './connectionLimits.ts';
import { createOriginCheck } from './originCheck.ts';
import { PREVIEW_SOCKET_PATH, servePreviewPage } from './preview/previewPage.ts';
import { PreviewService, type PreviewControl } from './preview/previewService.ts';
import { startOperators, type OperatorOptions } from './operator/startOperators.ts';
import { createProxyTurns } from './proxyTurns.ts';
import { startPublishing, type Publishing, type PublishingOptions } from './publish/startPublishing.ts';
import type { Publisher } from './publish/Publisher.ts';
import { setBaseSecurityHeaders } from './securityHeaders.ts';
import { SessionQueue } from './sessionQueue.ts';
import { SessionService } from './sessionService.ts';
import { SessionStates } from './sessionStates.ts';
import { createStaticFiles } from './staticFiles.ts';
import { serveFavicon } from './favicon.ts';
import { WorkflowService } from './workflowService.ts';
import { watchWrites } from './writeHealth.ts';
import type { WorkflowShard } from './workflowShard.ts';
import { keepHeapNearLiveSize } from './heapPolicy.ts';

export type Role = 'all' | 'proxy' | 'workflow' | 'operator';

/** A studio (or any host) that wants some HTTP requests first: return true when it answered. */
export interface StudioHook {
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> | boolean;
  /**
   * The gate of the preview page (`/preview/…`) and socket (`/preview-socket`): null lets the request
   * in, else the status and why not. It must check a token for `Origin: null` (the sandboxed page).
   */
  admitPreview?(req: IncomingMessage): { status: number; message: string } | null;
}

export interface StartOptions {
  /** flow file to run (checked first; errors reject `start`) */
  flowPath?: string;
  /** flow to run, when not read from a file (checked the same way) */
  flow?: Flow;
  /** default 9998; 0 picks a free port */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
  /** embedded log directory (default `./.bot-assistant-data`) */
  dataDir?: string;
  /** 'embedded' (default), 'fluvio', or a stream the caller opened and keeps owning */
  stream?: 'embedded' | 'fluvio' | MessageStream;
  /** fluvio: the topic (default `bot-assist-messages`) and its partitions if this process creates it */
  topic?: string;
  partitions?: number;
  /** origins besides the server's own that may open the bot websocket */
  allowedOrigins?: string[];
  /** 'all' (default) runs both services; 'proxy' and 'workflow' need a shared stream */
  role?: Role;
  /** with role 'workflow' and several workflow processes on one stream: the sessions this one answers */
  shard?: WorkflowShard;
  /** largest websocket frame accepted, default 65536 */
  maxFrameBytes?: number;
  logger?: Logger;
  studio?: StudioHook;
  clock?: () => Date;
  /** cached sessions unused this long are evicted (ms), default 5 minutes */
  sessionIdleMs?: number;
  /** run the operator service and serve its console at `/operator/` (issue 14); role `operator` runs only that */
  operators?: OperatorOptions;
  /** serve studio previews: the `/preview/` page and `/preview-socket` sessions running a draft (role `all` only) */
  preview?: boolean;
  /**
   * What one client may cost: frames per second per socket, open sockets and new sessions per
   * address, unread bytes per socket (defaults: DEFAULT_LIMITS). Previews get the per-socket limits only.
   */
  limits?: Partial<ConnectionLimits>;
  /** publishing (`serve`): sessions pinned to their version, reloads, and the publish API with a token */
  publishing?: PublishingOptions;
  /**
   * Set the session cookie without HttpOnly, for sites that embed the article's original widget:
   * it resets a conversation by clearing the cookie from script. Scripts on the page (an XSS
   * included) can then read the session id. Our widget resets with a ResetSession frame and needs no such thing.
   */
  cookieCompat?: boolean;
}

export interface RunningServer {
  /** `http://host:port/` */
  url: string;
  port: number;
  stream: MessageStream;
  /**
   * Run this flow from now on (`name`: its file's name, tagged on the sessions it starts). Sessions
   * keep their pending state and go on if their question still exists.
   */
  setFlow(flow: Flow, name?: string): void;
  /** Close every socket, finish running turns, flush and close the stream (unless the caller owns it). */
  close(): Promise<void>;
  /** What the server holds right now (for health pages, tests and benchmarks). */
  stats(): RuntimeStats;
  /** The preview sessions' draft and steps, when started with `preview: true`. */
  preview?: PreviewControl;
  /** Publishes new versions (started with `publishing`). */
  publisher?: Publisher;
}

export interface RuntimeStats {
  /** sessions with an open socket */
  sessions: number;
  /** open sockets */
  connections: number;
  /** sessions whose pending state is cached */
  cachedSessions: number;
  /** bytes written to the bot sockets and not yet read by their peers */
  bufferedBytes: number;
}

const WIDGET_DIR = fileURLToPath(new URL('../widget/', import.meta.url));

/** `/preview` and everything under `/preview/` (the page and its stylesheet). */
function isPreviewPagePath(pathname: string): boolean {
  return pathname === '/preview' || pathname.startsWith('/preview/');
}

/** Answers a refused websocket upgrade with a plain HTTP status and closes the socket. */
function refuseUpgrade(socket: Duplex, refused: { status: number; message: string }): void {
  const body = `${refused.message}\n`;
  socket.end(`HTTP/1.1 ${refused.status} ${STATUS_CODES[refused.status] ?? 'Refused'}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/** Start the runtime. Rejects (FlowRejectedError with diagnostics) on an invalid flow, and on bad options or a busy port. */
export async function start(options: StartOptions = {}): Promise<RunningServer> {
  keepHeapNearLiveSize();
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? (() => new Date());
  const role = options.role ?? 'all';
  if (role !== 'all' && role !== 'proxy' && role !== 'workflow' && role !== 'operator') throw new Error(`unknown role "${String(role)}": use all, proxy, workflow or operator`);
  if (role === 'operator' && !options.operators) throw new Error('role "operator" needs operator accounts (--operators accounts.json)');
  const streamOption = options.stream ?? 'embedded';
  if (role !== 'all' && streamOption === 'embedded') {
    throw new Error(`role "${role}" needs a stream shared between processes (--stream fluvio); the embedded log belongs to one process, so use --role all with it`);
  }
  const maxFrameBytes = options.maxFrameBytes ?? 65536;
  if (!Number.isInteger(maxFrameBytes) || maxFrameBytes < 256) throw new Error(`maxFrameBytes must be an integer of at least 256 (got ${maxFrameBytes})`);
  const originCheck = createOriginCheck(options.allowedOrigins);
  const limits = resolveLimits(options.limits);
  if (options.shard && role !== 'workflow') throw new Error(`a shard applies to role "workflow" only (got "${role}")`);
  if (options.preview && role !== 'all') throw new Error(`previews need role "all" (got "${role}")`);

  let flow: Flow | null = null;
  if (options.flow) flow = checkFlowObject(options.flow).flow;
  else if (options.flowPath) flow = (await loadFlowFile(options.flowPath)).flow;

  const ownsStream = typeof streamOption === 'string';
  const openedStream = typeof streamOption === 'string' ? await openStream({ kind: streamOption, dataDir: options.dataDir, topic: options.topic, partitions: options.partitions, shard: options.shard, logger }) : streamOption;
  // The services write through the watched stream, so /healthz knows whether writes work.
  const writes = watchWrites(openedStream, clock);
  const stream = writes.stream;

  const states = new SessionStates({ stream, idleMs: options.sessionIdleMs });
  const workflow = new WorkflowService({ stream, states, clock, logger });
  workflow.setFlow(flow);
  let publishing: Publishing | undefined;
  try {
    publishing = options.publishing && (await startPublishing(options.publishing, { stream, states, workflow, clock, logger, sharedStream: role !== 'all', onActivate: () => sessions?.flowChanged() }));
  } catch (error) {
    states.close();
    if (ownsStream) await openedStream.close();
    throw new Error(`cannot keep flow versions in ${options.publishing?.dir}: ${describeError(error)}`);
  }
  const workflowQueue = new SessionQueue();
  const addressLimits = role === 'workflow' ? undefined : new AddressLimits(limits);
  // A Fluvio stream that follows only the shard's partitions holds only the shard's sessions.
  const shardedByPartition = (openedStream as { shardedByPartition?: boolean }).shardedByPartition === true;
  const stopConsuming = role === 'workflow' ? workflow.consume(workflowQueue, shardedByPartition ? undefined : options.shard) : () => {};
  const sessions =
    role === 'workflow' || role === 'operator'
      ? undefined
      : new SessionService({
          stream,
          states,
          turns: role === 'all' ? workflow : createProxyTurns({ stream, states, flow: () => workflow.flow, versionOf: (state) => workflow.versionOf(state), clock, logger }),
          originCheck,
          logger,
          maxFrameBytes,
          followStream: role === 'proxy',
          limits,
          addressLimits,
          // The proxy role appends the start marker at once: the workflow process answers it.
          deferStart: role === 'all',
          cookieReadableByScript: options.cookieCompat === true,
        });

  let listeningPort = 0;
  // The preview page is sandboxed, so its socket says `Origin: null`; the studio's gate (admitPreview)
  // lets such a socket in only with the preview token in its URL. Without a gate, no opaque origin.
  const gated = options.studio?.admitPreview !== undefined;
  const previewOriginCheck: typeof originCheck = (headers) => (gated && headers.origin === 'null') || originCheck(headers);
  const preview = options.preview ? new PreviewService({ stream, states, clock, logger, originCheck: previewOriginCheck, maxFrameBytes, flow, limits }) : undefined;
  const operators = options.operators
    ? await startOperators(options.operators, {
        stream,
        states,
        inProcess: role === 'all' && sessions ? { sessions, turns: workflow } : undefined,
        previews: preview?.forOperators(),
        flow: () => workflow.flow,
        clock,
        logger,
        port: () => listeningPort,
      }).catch(async (error: unknown) => {
        stopConsuming();
        publishing?.close();
        await sessions?.close();
        await preview?.close();
        addressLimits?.close();
        states.close();
        if (ownsStream) await openedStream.close();
        throw error;
      })
    : undefined;

  const serveStatic = createStaticFiles(WIDGET_DIR);
  let closing = false;
  const server: Server = createServer((req, res) => {
    setBaseSecurityHeaders(res);
    handleRequest(req, res).catch((error: unknown) => {
      logger.error(`http ${req.method} ${req.url}: ${describeError(error)}`);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Internal error\n');
    });
  });

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const pathname = (req.url ?? '/').split('?', 1)[0];
    if (serveFavicon(req, res, pathname)) return;
    if (operators && (await operators.handleRequest(req, res))) return;
    if (role !== 'workflow' && options.studio && (await options.studio.handle(req, res))) return;
    if (pathname === '/healthz') {
      const health = closing ? undefined : await writes.check();
      const body = closing ? { status: 'closing' } : health!.ok ? { status: 'ok' } : { status: 'failing', reason: health!.reason, since: health!.since };
      res.writeHead(body.status === 'ok' ? 200 : 503, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify(body));
      return;
    }
    if (preview && isPreviewPagePath(pathname)) {
      const refused = options.studio?.admitPreview?.(req);
      if (refused) {
        res.writeHead(refused.status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }).end(`${refused.message}\n`);
        return;
      }
    }
    if (preview && (await servePreviewPage(req, res, (sid) => stream.hasSession(sid)))) return;
    if (publishing && (await publishing.handle(req, res))) return;
    if (sessions && (await serveStatic(req, res))) return;
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
  }

  server.on('upgrade', (req, socket, head) => {
    if (operators?.handleUpgrade(req, socket, head)) return;
    if (preview && (req.url ?? '/').split('?', 1)[0] === PREVIEW_SOCKET_PATH) {
      const refused = options.studio?.admitPreview?.(req);
      if (refused) refuseUpgrade(socket, refused);
      else preview.handleUpgrade(req, socket, head);
    }
    else if (sessions) sessions.handleUpgrade(req, socket, head);
    else socket.destroy();
  });
  server.on('clientError', (error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  const host = options.host ?? '127.0.0.1';
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 9998, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    stopConsuming();
    publishing?.close();
    await sessions?.close();
    await preview?.close();
    addressLimits?.close();
    await operators?.close();
    states.close();
    if (ownsStream) await openedStream.close();
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(code === 'EADDRINUSE' ? `port ${options.port ?? 9998} on ${host} is already in use` : `cannot listen on ${host}:${options.port ?? 9998}: ${describeError(error)}`);
  }
  const port = (server.address() as AddressInfo).port;
  listeningPort = port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  let closed: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}/`,
    port,
    stream: openedStream,
    setFlow(next: Flow, name?: string) {
      workflow.setFlow(next, name);
      sessions?.flowChanged();
      // Previews run what the server runs until the studio sends them a draft.
      if (preview && preview.flowHash === null) void preview.setFlow(next, name);
    },
    stats() {
      return {
        sessions: (sessions?.sessionCount ?? 0) + (preview?.sessionCount ?? 0),
        connections: (sessions?.connectionCount ?? 0) + (preview?.connectionCount ?? 0),
        cachedSessions: states.size,
        bufferedBytes: sessions?.bufferedBytes ?? 0,
      };
    },
    preview,
    publisher: publishing?.publisher,
    close() {
      closed ??= (async () => {
        closing = true;
        publishing?.close();
        states.stopLoading();
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        await Promise.all([sessions?.close(), preview?.close(), operators?.close()]);
        stopConsuming();
        await workflowQueue.idle();
        server.closeAllConnections();
        await stopped;
        addressLimits?.close();
        states.close();
        if (ownsStream) await openedStream.close();
      })();
      return closed;
    },
  };
}
