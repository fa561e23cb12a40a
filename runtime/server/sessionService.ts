/**
 * The session service (the article's proxy): accepts widget websockets, gives each browser a
 * session cookie, replays a known session's history on reconnect, turns incoming frames into
 * turns, and shows each durable record to every socket (tab) of its session.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { MessageStream, StoredRecord } from '../stream/MessageStream.ts';
import { ConcurrencyLimit } from './ConcurrencyLimit.ts';
import { errorFrame, parseClientFrame, SESSION_RESET_FRAME } from './frames.ts';
import { describeError, type Logger } from './logger.ts';
import type { OriginCheck } from './originCheck.ts';
import { isResetRecord, widgetFrameOf } from './records.ts';
import { isSecureRequest, newSessionId, readSessionCookie, sessionCookieHeader } from './sessionCookie.ts';
import { SessionQueue } from './sessionQueue.ts';
import type { SessionStates } from './sessionStates.ts';
import type { TurnEvent, TurnPort, TurnResult } from './turns.ts';

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
  /** the websocket's path (default `/`) */
  path?: string;
  /** the session cookie's name (default `Fluvio-Bot-Assistant`) */
  cookieName?: string;
  /**
   * The studio's preview: a new session starts at the state named by the socket URL's `?start=`,
   * and `?fresh=NONCE` asks for a new session once per nonce (reconnects with it resume that one).
   * `?replay=SID&upto=OFFSET` is a read-only view of a recorded session (see `openReplayView`).
   */
  startFromQuery?: boolean;
}

interface Connection {
  ws: WebSocket;
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

/** How long a restarted session's notice waits for its widget to reconnect. */
const NOTICE_TTL_MS = 30_000;
/** `?fresh=` nonces remembered (one per preview restart); the oldest are forgotten first. */
const MAX_FRESH_NONCES = 1000;

/**
 * History replays running at once. A replay is CPU work (decode, send) between reads; a few at a
 * time keep the CPU busy while one waits for the disk, and the sessions that are talking wait
 * behind at most a few replay chunks.
 */
const PARALLEL_REPLAYS = 4;

/** A widget frame sent to a replay view is refused with this error code. */
export const REPLAY_READ_ONLY = 'replay-read-only';

export class SessionService {
  private readonly wss: WebSocketServer;
  private readonly sessions = new Map<string, Set<Connection>>();
  /** connections whose session could not start because no flow was loaded */
  private readonly waitingForFlow = new Set<Connection>();
  private readonly queue = new SessionQueue();
  private readonly admissions = new WeakMap<IncomingMessage, Admission>();
  /** notices for the sessions that replace restarted ones, by the restarted session's id */
  private readonly notices = new Map<string, string>();
  /** the session each `?fresh=` nonce created (insertion order: oldest first, capped) */
  private readonly freshSessions = new Map<string, string>();
  /** read-only replay views (`?replay=`): no session, no cookie, no live records */
  private readonly replayViews = new Set<WebSocket>();
  /** each websocket's TCP socket, corked while a replay chunk is sent (one write instead of one per frame) */
  private readonly tcpSockets = new WeakMap<WebSocket, Duplex>();
  private readonly replays = new ConcurrencyLimit(PARALLEL_REPLAYS);
  private readonly options: SessionServiceOptions;
  private readonly logger: Logger;
  private readonly unsubscribe: () => void;
  private closing = false;

  constructor(options: SessionServiceOptions) {
    this.options = options;
    this.logger = options.logger;
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
   * the widget reconnects at once); the session that replaces it is shown `notice` first.
   */
  restart(sid: string, notice: string): Promise<void> {
    return this.queue.run(sid, async () => {
      if (!this.sessions.has(sid)) return;
      const result = await this.options.turns.turn(sid, { kind: 'reset' });
      if (!result.ok) return void this.logger.warn(`session ${sid.slice(0, 8)}: restart failed: ${result.message}`);
      this.notices.set(sid, notice);
      setTimeout(() => this.notices.delete(sid), NOTICE_TTL_MS).unref();
      this.deliver(sid, result.records);
    });
  }

  /** Operator hook (issue 14): run `task` (a release turn, an operator's records) in `sid`'s order and show what it made durable. */
  runForOperator(sid: string, task: () => Promise<TurnResult>): Promise<TurnResult> {
    return this.queue.run(sid, async () => {
      const result = await task();
      if (result.ok) this.deliver(sid, result.records);
      return result;
    });
  }

  /** Close every socket (1001), wait for running turns, and stop accepting. */
  async close(): Promise<void> {
    this.closing = true;
    this.unsubscribe();
    const sockets: WebSocket[] = [];
    for (const connections of this.sessions.values()) for (const connection of connections) sockets.push(connection.ws);
    sockets.push(...this.replayViews);
    const closed = Promise.all(sockets.map((ws) => new Promise<void>((resolve) => (ws.readyState === WebSocket.CLOSED ? resolve() : ws.once('close', () => resolve())))));
    for (const ws of sockets) ws.close(1001, 'server shutting down');
    const timer = new Promise<void>((resolve) => setTimeout(resolve, 1000).unref());
    await Promise.race([closed, timer]);
    for (const ws of sockets) if (ws.readyState !== WebSocket.CLOSED) ws.terminate();
    await this.queue.idle();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private async admit(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const replaySid = this.options.startFromQuery ? queryParam(req.url, 'replay') : undefined;
    if (replaySid !== undefined) {
      const upto = Number(queryParam(req.url, 'upto') ?? Number.MAX_SAFE_INTEGER);
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        this.tcpSockets.set(ws, socket);
        this.openReplayView(ws, replaySid, Number.isSafeInteger(upto) ? upto : -1);
      });
      return;
    }
    const cookieSid = readSessionCookie(req.headers.cookie, this.options.cookieName);
    const fresh = this.options.startFromQuery ? queryParam(req.url, 'fresh') : undefined;
    const wantsNew = fresh !== undefined && this.freshSessions.get(fresh) !== cookieSid;
    let sid: string | undefined;
    if (cookieSid && !wantsNew && (this.sessions.has(cookieSid) || this.options.stream.hasSession(cookieSid))) {
      const state = await this.queue.run(cookieSid, () => this.options.states.load(cookieSid));
      if (!state.reset) sid = cookieSid;
    }
    const admission: Admission = { sid: sid ?? newSessionId(), isNew: sid === undefined, secure: isSecureRequest(req) };
    if (admission.isNew && this.options.startFromQuery) admission.startAt = queryParam(req.url, 'start');
    if (admission.isNew && fresh !== undefined) this.rememberFresh(fresh, admission.sid);
    if (admission.isNew && cookieSid && this.notices.has(cookieSid)) {
      admission.notice = this.notices.get(cookieSid);
      this.notices.delete(cookieSid);
    }
    if (socket.destroyed || this.closing) return;
    this.admissions.set(req, admission);
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.tcpSockets.set(ws, socket);
      this.open(ws, admission);
    });
  }

  private rememberFresh(nonce: string, sid: string): void {
    this.freshSessions.delete(nonce);
    this.freshSessions.set(nonce, sid);
    if (this.freshSessions.size > MAX_FRESH_NONCES) this.freshSessions.delete(this.freshSessions.keys().next().value as string);
  }

  private open(ws: WebSocket, admission: Admission): void {
    const { sid } = admission;
    const connection: Connection = { ws, sid, replayedThrough: -1, held: null, startAt: admission.startAt };
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

  /**
   * A read-only view of a recorded session, for the studio's replay: the session's frames through
   * offset `upto`, sent exactly as a reconnect replays them, then nothing. It joins no session (no
   * cookie, no live records, no restart); every frame it sends is refused and nothing is recorded.
   */
  private openReplayView(ws: WebSocket, sid: string, upto: number): void {
    this.replayViews.add(ws);
    ws.on('close', () => this.replayViews.delete(ws));
    ws.on('error', (error) => this.logger.warn(`replay ${sid.slice(0, 8)}: ${error.message}`));
    ws.on('message', () => send(ws, errorFrame(REPLAY_READ_ONLY, 'This is a replay of a recorded session: it is read-only. Go back to the live preview to talk to the bot.')));
    if (!this.options.stream.hasSession(sid)) {
      send(ws, errorFrame('replay-unknown-session', `No recorded session has the id ${JSON.stringify(sid)}.`));
      return;
    }
    void this.sendHistory(ws, sid, upto).catch((error: unknown) => {
      this.logger.error(`replay ${sid.slice(0, 8)}: ${describeError(error)}`);
      send(ws, errorFrame('stream-unavailable', 'The conversation history could not be read: reload to try again.'));
    });
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
      through = await this.sendHistory(connection.ws, connection.sid, Number.MAX_SAFE_INTEGER);
    } catch (error) {
      this.logger.error(`session ${connection.sid.slice(0, 8)}: replay failed: ${describeError(error)}`);
      send(connection.ws, errorFrame('stream-unavailable', 'The conversation history could not be read: reconnect to try again.'));
    }
    const held = connection.held;
    connection.held = null;
    connection.replayedThrough = through;
    for (const item of held) if (item.offset > through) send(connection.ws, item.frame);
  }

  /**
   * Sends `sid`'s recorded frames with offsets up to `upto` to `ws`, chunk by chunk (the event loop
   * runs between chunks), once a replay slot is free. Returns the offset of the last record read (-1 for none).
   */
  private sendHistory(ws: WebSocket, sid: string, upto: number): Promise<number> {
    return this.replays.run(async () => {
      let through = -1;
      const tcp = this.tcpSockets.get(ws);
      for await (const chunk of this.options.stream.readSession(sid, { chunkSize: this.options.replayChunkSize ?? 256 })) {
        if (ws.readyState !== WebSocket.OPEN) break;
        tcp?.cork();
        try {
          for (const stored of chunk) {
            if (stored.offset > upto) return through;
            const frame = widgetFrameOf(stored.record);
            if (frame !== undefined) ws.send(frame);
            through = stored.offset;
          }
        } finally {
          tcp?.uncork();
        }
        await yieldToEventLoop();
      }
      return through;
    });
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
      const kind = stored.record.payload?.kind;
      if (kind === 'Request' || kind === 'Operator') this.deliver(stored.record.sid, [stored]);
    }
  }
}

/** A query parameter of a socket URL (`start`: a state name the workflow checks; `fresh`: a nonce), if present and sane. */
function queryParam(url: string | undefined, name: string): string | undefined {
  const at = (url ?? '').indexOf('?');
  if (at < 0) return undefined;
  const value = new URLSearchParams((url ?? '').slice(at + 1)).get(name);
  return value === null || value === '' || value.length > 1000 ? undefined : value;
}

function send(ws: WebSocket, frame: string): void {
  if (ws.readyState === WebSocket.OPEN) ws.send(frame);
}

function reject(socket: Duplex, status: number, reason: string): void {
  if (socket.destroyed || !socket.writable) return void socket.destroy();
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${reason.length + 1}\r\n\r\n${reason}\n`);
}
