/**
 * The bot runtime as a function: `start(options)` opens the stream, starts the session service
 * (websockets, cookies, replay) and the workflow service (engine steps) as the role asks, serves
 * the widget and `/healthz`, and returns a handle to hot-reload the flow and to close it all.
 * Called by the CLI (`bot-assistant serve`), by the studio and by tests.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Flow } from '../flow/types.ts';
import type { MessageStream } from '../stream/MessageStream.ts';
import { openStream } from '../stream/openStream.ts';
import { checkFlowObject, loadFlowFile } from './loadFlow.ts';
import { describeError, silentLogger, type Logger } from './logger.ts';
import { createOriginCheck } from './originCheck.ts';
import { PREVIEW_SOCKET_PATH, servePreviewPage } from './preview/previewPage.ts';
import { PreviewService, type PreviewControl } from './preview/previewService.ts';
import { createProxyTurns } from './proxyTurns.ts';
import { setBaseSecurityHeaders } from './securityHeaders.ts';
import { SessionQueue } from './sessionQueue.ts';
import { SessionService } from './sessionService.ts';
import { SessionStates } from './sessionStates.ts';
import { createStaticFiles } from './staticFiles.ts';
import { WorkflowService } from './workflowService.ts';
import type { WorkflowShard } from './workflowShard.ts';

export type Role = 'all' | 'proxy' | 'workflow';

/** A studio (or any host) that wants some HTTP requests first: return true when it answered. */
export interface StudioHook {
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> | boolean;
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
  /** serve studio previews: the `/preview/` page and `/preview-socket` sessions running a draft (role `all` only) */
  preview?: boolean;
}

export interface RunningServer {
  /** `http://host:port/` */
  url: string;
  port: number;
  stream: MessageStream;
  /** Run this flow from now on. Sessions keep their pending state and go on if their question still exists. */
  setFlow(flow: Flow): void;
  /** Close every socket, finish running turns, flush and close the stream (unless the caller owns it). */
  close(): Promise<void>;
  /** What the server holds right now (for health pages, tests and benchmarks). */
  stats(): RuntimeStats;
  /** The preview sessions' draft and steps, when started with `preview: true`. */
  preview?: PreviewControl;
}

export interface RuntimeStats {
  /** sessions with an open socket */
  sessions: number;
  /** open sockets */
  connections: number;
  /** sessions whose pending state is cached */
  cachedSessions: number;
}

const WIDGET_DIR = fileURLToPath(new URL('../widget/', import.meta.url));

/** Start the runtime. Rejects (FlowRejectedError with diagnostics) on an invalid flow, and on bad options or a busy port. */
export async function start(options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? (() => new Date());
  const role = options.role ?? 'all';
  if (role !== 'all' && role !== 'proxy' && role !== 'workflow') throw new Error(`unknown role "${String(role)}": use all, proxy or workflow`);
  const streamOption = options.stream ?? 'embedded';
  if (role !== 'all' && streamOption === 'embedded') {
    throw new Error(`role "${role}" needs a stream shared between processes (--stream fluvio); the embedded log belongs to one process, so use --role all with it`);
  }
  const maxFrameBytes = options.maxFrameBytes ?? 65536;
  if (!Number.isInteger(maxFrameBytes) || maxFrameBytes < 256) throw new Error(`maxFrameBytes must be an integer of at least 256 (got ${maxFrameBytes})`);
  const originCheck = createOriginCheck(options.allowedOrigins);
  if (options.shard && role !== 'workflow') throw new Error(`a shard applies to role "workflow" only (got "${role}")`);
  if (options.preview && role !== 'all') throw new Error(`previews need role "all" (got "${role}")`);

  let flow: Flow | null = null;
  if (options.flow) flow = checkFlowObject(options.flow).flow;
  else if (options.flowPath) flow = (await loadFlowFile(options.flowPath)).flow;

  const ownsStream = typeof streamOption === 'string';
  const stream = typeof streamOption === 'string' ? await openStream({ kind: streamOption, dataDir: options.dataDir, topic: options.topic, partitions: options.partitions, shard: options.shard, logger }) : streamOption;

  const states = new SessionStates({ stream, idleMs: options.sessionIdleMs });
  const workflow = new WorkflowService({ stream, states, clock, logger });
  workflow.setFlow(flow);
  const workflowQueue = new SessionQueue();
  // A Fluvio stream that follows only the shard's partitions holds only the shard's sessions.
  const shardedByPartition = (stream as { shardedByPartition?: boolean }).shardedByPartition === true;
  const stopConsuming = role === 'workflow' ? workflow.consume(workflowQueue, shardedByPartition ? undefined : options.shard) : () => {};
  const sessions =
    role === 'workflow'
      ? undefined
      : new SessionService({
          stream,
          states,
          turns: role === 'all' ? workflow : createProxyTurns({ stream, states, flow: () => workflow.flow, clock, logger }),
          originCheck,
          logger,
          maxFrameBytes,
          followStream: role === 'proxy',
        });

  const preview = options.preview ? new PreviewService({ stream, states, clock, logger, originCheck, maxFrameBytes, flow }) : undefined;

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
    if (role !== 'workflow' && options.studio && (await options.studio.handle(req, res))) return;
    const pathname = (req.url ?? '/').split('?', 1)[0];
    if (pathname === '/healthz') {
      const status = closing ? 503 : 200;
      res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify({ status: closing ? 'closing' : 'ok' }));
      return;
    }
    if (preview && (await servePreviewPage(req, res, (sid) => stream.hasSession(sid)))) return;
    if (role !== 'workflow' && (await serveStatic(req, res))) return;
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
  }

  server.on('upgrade', (req, socket, head) => {
    if (preview && (req.url ?? '/').split('?', 1)[0] === PREVIEW_SOCKET_PATH) preview.handleUpgrade(req, socket, head);
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
    await sessions?.close();
    await preview?.close();
    states.close();
    if (ownsStream) await stream.close();
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(code === 'EADDRINUSE' ? `port ${options.port ?? 9998} on ${host} is already in use` : `cannot listen on ${host}:${options.port ?? 9998}: ${describeError(error)}`);
  }
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  let closed: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}/`,
    port,
    stream,
    setFlow(next: Flow) {
      workflow.setFlow(next);
      sessions?.flowChanged();
      // Previews run what the server runs until the studio sends them a draft.
      if (preview && preview.flowHash === null) void preview.setFlow(next);
    },
    stats() {
      return {
        sessions: (sessions?.sessionCount ?? 0) + (preview?.sessionCount ?? 0),
        connections: (sessions?.connectionCount ?? 0) + (preview?.connectionCount ?? 0),
        cachedSessions: states.size,
      };
    },
    preview,
    close() {
      closed ??= (async () => {
        closing = true;
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        await Promise.all([sessions?.close(), preview?.close()]);
        stopConsuming();
        await workflowQueue.idle();
        server.closeAllConnections();
        await stopped;
        states.close();
        if (ownsStream) await stream.close();
      })();
      return closed;
    },
  };
}
