/**
 * The session service (the article's proxy): accepts widget websockets, gives each browser a
 * session cookie, replays a known session's history on reconnect, turns incoming frames into
 * turns, and shows each durable record to every socket (tab) of its session.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { MessageStream, StoredRecord } from '../stream/MessageStream.ts';
import { errorFrame, parseClientFrame, SESSION_RESET_FRAME } from './frames.ts';
import { describeError, type Logger } from './logger.ts';
import type { OriginCheck } from './originCheck.ts';
import { HistoryReplayer } from './historyReplayer.ts';
import { reject, send } from './socketWrites.ts';
import { isResetRecord, widgetFrameOf } from './records.ts';
import { isSecureRequest, newSessionId, readSessionCookie, sessionCookieHeader } from './sessionCookie.ts';
import { SessionQueue } from './sessionQueue.ts';
import type { SessionStates } from './sessionStates.ts';
import type { TurnEvent, TurnPort } from './turns.ts';

export interface SessionServiceOptions {
  stream: MessageStream;
  states: SessionStates;
  turns: TurnPort;
  originCheck: OriginCheck;
  logger: Logger;
  /** largest frame accepted (bytes); bigger ones close the socket with 1009 */
  maxFrameBytes: number;
  /** deliver the requests other processes append (the `proxy` role) */
  followStream: boolean;
  /** records per replay chunk; the event loop runs between chunks */
  replayChunkSize?: number;
  /** the replayer to share (its limit on replays at once), when another service replays too */
  history?: HistoryReplayer;
  /** the websocket's path (default `/`) */
  path?: string;
  /** the session cookie's name (default `Fluvio-Bot-Assistant`) */
  cookieName?: string;
  /** how a socket URL picks its session besides the cookie (the studio preview's rules) */
  admission?: AdmissionRules;
}

/**
 * Admission beyond "the cookie's session, or a new one". Called after the path, Origin and
 * closing checks; the studio preview uses it for `?start=`, `?fresh=`, notices and replay views.
 */
export interface AdmissionRules {
  /** Take the upgrade over (e.g. a read-only replay view): return true when taken. */
  intercept?(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Must this request start a new session although its cookie names a resumable one? */
  wantsNew?(req: IncomingMessage, cookieSid: string | undefined): boolean;
  /** A new session `sid` is admitted: where it starts, and a notice to show first (never recorded). */
  newSession?(req: IncomingMessage, sid: string, cookieSid: string | undefined): { startAt?: string; notice?: string };
}

interface Connection {
  ws: WebSocket;
  /** the TCP socket under `ws`, corked while a replay chunk is sent */
  tcp: Duplex;
  sid: string;
  /** records at or below this offset were replayed and are not sent again */
  replayedThrough: number;
  /** live records held back while the history replays */
  held: { offset: number; frame: string }[] | null;
  /** where the session starts when it is new (preview `?start=`) */
  startAt?: string;
}

interface Admission {
  sid: string;
  isNew: boolean;
  secure: boolean;
  /** where a new session starts (preview `?start=`) */
  startAt?: string;
  /** shown first to a new session that replaces one restarted by `restart` */
  notice?: string;
}

export class SessionService {
  private readonly wss: WebSocketServer;
  private readonly sessions = new Map<string, Set<Connection>>();
  /** connections whose session could not start because no flow was loaded */
  private readonly waitingForFlow = new Set<Connection>();
  private readonly queue = new SessionQueue();
  private readonly admissions = new WeakMap<IncomingMessage, Admission>();
  private readonly history: HistoryReplayer;
  private readonly options: SessionServiceOptions;
  private readonly logger: Logger;
  private readonly unsubscribe: () => void;
  private closing = false;

  constructor(options: SessionServiceOptions) {
    this.options = options;
    this.logger = options.logger;
    this.history = options.history ?? new HistoryReplayer(options.stream, options.replayChunkSize);
    this.wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload: options.maxFrameBytes,
      skipUTF8Validation: false,
    });
    this.wss.on('headers', (headers, req) => {
      const admission = this.admissions.get(req);
      if (admission?.isNew) headers.push(`Set-Cookie: ${sessionCookieHeader(admission.sid, admission.secure, options.cookieName)}`);
    });
    this.unsubscribe = options.followStream ? options.stream.subscribe((batch) => this.follow(batch)) : () => {};
  }

  /** Sessions with at least one open socket. */
  get sessionCount(): number {
    return this.sessions.size;
  }

  /** Open sockets. */
  get connectionCount(): number {
    let count = 0;
    for (const connections of this.sessions.values()) count += connections.size;
    return count;
  }

  /** Handle an HTTP upgrade request (the server's `upgrade` event). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', (error) => this.logger.warn(`websocket upgrade: socket error: ${error.message}`));
    if (this.closing) return reject(socket, 503, 'Service Unavailable');
    if ((req.url ?? '/').split('?', 1)[0] !== (this.options.path ?? '/')) return reject(socket, 404, 'Not Found');
    if (!this.options.originCheck(req.headers)) {
      this.logger.warn(`websocket upgrade refused: origin ${JSON.stringify(req.headers.origin)} is not allowed for host ${JSON.stringify(req.headers.host)}`);
      return reject(socket, 403, 'Forbidden');
    }
    this.admit(req, socket, head).catch((error: unknown) => {
      this.logger.error(`websocket upgrade failed: ${describeError(error)}`);
      reject(socket, 503, 'Service Unavailable');
    });
  }

  /** A new flow was loaded: start the sessions that were waiting for one. */
  flowChanged(): void {
    for (const connection of this.waitingForFlow) {
      this.waitingForFlow.delete(connection);
      void this.queue.run(connection.sid, () => this.startSession(connection));
    }
  }

  /** Ids of the sessions with an open socket. */
  liveSessions(): string[] {
    return [...this.sessions.keys()];
  }

  /**
   * Reset a live session the way the widget's reset does (its sockets get SessionReset and close,
   * the widget reconnects at once). Resolves true when the session was live and is now reset.
   */
  reset(sid: string): Promise<boolean> {
    return this.queue.run(sid, async () => {
      if (!this.sessions.has(sid)) return false;
      const result = await this.options.turns.turn(sid, { kind: 'reset' });
      if (!result.ok) {
        this.logger.warn(`session ${sid.slice(0, 8)}: reset failed: ${result.message}`);
        return false;
      }
      this.deliver(sid, result.records);
      return true;
    });
  }

  /** Close every socket (1001), wait for running turns, and stop accepting. */
  async close(): Promise<void> {
    this.closing = true;
    this.unsubscribe();
    const sockets: WebSocket[] = [];
    for (const connections of this.sessions.values()) for (const connection of connections) sockets.push(connection.ws);
    const closed = Promise.all(sockets.map((ws) => new Promise<void>((resolve) => (ws.readyState === WebSocket.CLOSED ? resolve() : ws.once('close', () => resolve())))));
    for (const ws of sockets) ws.close(1001, 'server shutting down');
    const timer = new Promise<void>((resolve) => setTimeout(resolve, 1000).unref());
    await Promise.race([closed, timer]);
    for (const ws of sockets) if (ws.readyState !== WebSocket.CLOSED) ws.terminate();
    await this.queue.idle();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private async admit(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const rules = this.options.admission;
    if (rules?.intercept?.(req, socket, head)) return;
    const cookieSid = readSessionCookie(req.headers.cookie, this.options.cookieName);
    let sid: string | undefined;
    if (cookieSid && !rules?.wantsNew?.(req, cookieSid) && (this.sessions.has(cookieSid) || this.options.stream.hasSession(cookieSid))) {
      const state = await this.queue.run(cookieSid, () => this.options.states.load(cookieSid));
      if (!state.reset) sid = cookieSid;
    }
    const admission: Admission = { sid: sid ?? newSessionId(), isNew: sid === undefined, secure: isSecureRequest(req) };
    if (admission.isNew && rules?.newSession) Object.assign(admission, rules.newSession(req, admission.sid, cookieSid));
    if (socket.destroyed || this.closing) return;
    this.admissions.set(req, admission);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.open(ws, socket, admission));
  }

  private open(ws: WebSocket, tcp: Duplex, admission: Admission): void {
    const { sid } = admission;
    const connection: Connection = { ws, tcp, sid, replayedThrough: -1, held: null, startAt: admission.startAt };
    let connections = this.sessions.get(sid);
    if (!connections) this.sessions.set(sid, (connections = new Set()));
    connections.add(connection);
    ws.on('message', (data, isBinary) => this.onFrame(connection, data, isBinary));
    ws.on('error', (error) => this.logger.warn(`session ${sid.slice(0, 8)}: ${error.message}`));
    ws.on('close', () => this.remove(connection));
    // The notice is not a flow message: it is shown once and never recorded.
    if (admission.notice) send(ws, JSON.stringify({ kind: 'BotText', content: admission.notice }));
    if (admission.isNew) void this.queue.run(sid, () => this.startSession(connection));
    else void this.queue.run(sid, () => this.replay(connection));
  }

  private remove(connection: Connection): void {
    this.waitingForFlow.delete(connection);
    const connections = this.sessions.get(connection.sid);
    if (!connections) return;
    connections.delete(connection);
    if (connections.size === 0) this.sessions.delete(connection.sid);
  }

  private async startSession(connection: Connection): Promise<void> {
    if (connection.ws.readyState !== WebSocket.OPEN) return;
    const at = connection.startAt;
    const result = await this.options.turns.turn(connection.sid, at === undefined ? { kind: 'start' } : { kind: 'start', at });
    if (result.ok) return this.deliver(connection.sid, result.records);
    send(connection.ws, errorFrame(result.code, result.message));
    if (result.code === 'no-flow') this.waitingForFlow.add(connection);
    // Nothing was recorded: closing lets the widget reconnect and start afresh.
    else connection.ws.close(1011, 'session could not start');
  }

  private onFrame(connection: Connection, data: RawData, isBinary: boolean): void {
    const parsed = parseClientFrame(data, isBinary);
    if (!parsed.ok) {
      send(connection.ws, errorFrame(parsed.code, parsed.message));
      return;
    }
    const frame = parsed.frame;
    const event: TurnEvent = frame.kind === 'ResetSession' ? { kind: 'reset' } : { kind: 'response', message: frame };
    void this.queue.run(connection.sid, async () => {
      try {
        const result = await this.options.turns.turn(connection.sid, event);
        if (result.ok) this.deliver(connection.sid, result.records, connection);
        else send(connection.ws, errorFrame(result.code, result.message));
      } catch (error) {
        this.logger.error(`session ${connection.sid.slice(0, 8)}: turn failed: ${describeError(error)}`);
        send(connection.ws, errorFrame('stream-unavailable', 'The message store is unavailable: try again in a moment.'));
      }
    });
  }

  /** Send the session's history to a socket that just connected, chunk by chunk, then what arrived meanwhile. */
  private async replay(connection: Connection): Promise<void> {
    connection.held = [];
    let through = -1;
    try {
      through = await this.history.send(connection.ws, connection.tcp, connection.sid, Number.MAX_SAFE_INTEGER);
    } catch (error) {
      this.logger.error(`session ${connection.sid.slice(0, 8)}: replay failed: ${describeError(error)}`);
      send(connection.ws, errorFrame('stream-unavailable', 'The conversation history could not be read: reconnect to try again.'));
    }
    const held = connection.held;
    connection.held = null;
    connection.replayedThrough = through;
    for (const item of held) if (item.offset > through) send(connection.ws, item.frame);
  }

  /** Show durable records to the session's sockets; the sender of an answer does not get it echoed. */
  private deliver(sid: string, records: StoredRecord[], origin?: Connection): void {
    const connections = this.sessions.get(sid);
    if (!connections) return;
    for (const stored of records) {
      if (isResetRecord(stored.record)) {
        for (const connection of [...connections]) {
          send(connection.ws, SESSION_RESET_FRAME);
          connection.ws.close(1000, 'session reset');
        }
        continue;
      }
      const frame = widgetFrameOf(stored.record);
      if (frame === undefined) continue;
      const echo = stored.record.payload?.kind === 'Response';
      for (const connection of connections) {
        if (echo && connection === origin) continue;
        if (stored.offset <= connection.replayedThrough) continue;
        if (connection.held) connection.held.push({ offset: stored.offset, frame });
        else send(connection.ws, frame);
      }
    }
  }

  /** Proxy role: fold every record into cached sessions and show the requests the workflow appended. */
  private follow(batch: StoredRecord[]): void {
    for (const stored of batch) {
      this.options.states.applyRecord(stored);
      if (stored.record.payload?.kind === 'Request') this.deliver(stored.record.sid, [stored]);
    }
  }
}
