/**
 * The session service (the article's proxy): accepts widget websockets, gives each browser a
 * session cookie, replays a known session's history on reconnect, turns incoming frames into
 * turns, and shows each durable record to every socket (tab) of its session. What one client may
 * cost is bounded (connectionLimits.ts): frames per second, unread bytes, sockets and new sessions
 * per address; a closed socket's queued turns are dropped.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { MessageStream, StoredRecord, StreamRecord } from '../stream/messageStream.ts';
import { CLOSE_RATE_LIMITED, CLOSE_SLOW_READER, DEFAULT_LIMITS, newFrameBucket, refusedTooLong, takeFrame, type AddressLimits, type ConnectionLimits, type FrameBucket } from './connectionLimits.ts';
import { errorFrame, parseClientFrame } from './frames.ts';
import { describeError } from '../describeError.ts';
import type { Logger } from './logger.ts';
import type { Admission, AdmissionRules } from './admissionRules.ts';
import type { OriginCheck } from './originCheck.ts';
import { HistoryReplayer } from './historyReplayer.ts';
import { closeAll, closeFirmly, closeForReset, corked, reject } from './socketWrites.ts';
import { isResetRecord, widgetFrameOf } from './records.ts';
import { isSecureRequest, newSessionId, readSessionCookie, SESSION_COOKIE, sessionCookieHeader } from './sessionCookie.ts';
import { SessionQueue } from './sessionQueue.ts';
import type { SessionStates } from './sessionStates.ts';
import type { TurnEvent, TurnOpening, TurnPort, TurnRefusal, TurnResult } from './turns.ts';

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
  /** leave HttpOnly off the cookie, so the article's widget can clear it (`serve --cookie-compat`) */
  cookieReadableByScript?: boolean;
  /** how a socket URL picks its session besides (or instead of) the cookie (the studio preview's rules) */
  admission?: AdmissionRules;
  /** what one socket may cost (frames per second, unread bytes); default DEFAULT_LIMITS */
  limits?: ConnectionLimits;
  /** open sockets and new sessions per client address; none when absent (the studio's own preview) */
  addressLimits?: AddressLimits;
  /**
   * A new session records nothing until its first answer: its start marker and first requests are
   * shown at once and appended with that answer (needs `turns.open`). A handshake costs no record.
   * An opening that hands the visitor to a person is recorded at once (`TurnOpening.recordNow`).
   */
  deferStart?: boolean;
}

const DONE = Promise.resolve();
const ORIGIN_LOG_INTERVAL_MS = 60_000;
const MAX_ORIGINS_REMEMBERED = 1000;

interface LiveSession {
  connections: Set<Connection>;
  /** a deferred start: the start marker and first requests, shown but not recorded yet */
  opening: StreamRecord[] | null;
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
  /** the socket's frame allowance */
  frames: FrameBucket;
}

export class SessionService {
  private readonly wss: WebSocketServer;
  private readonly sessions = new Map<string, LiveSession>();
  /** connections whose session could not start because no flow was loaded */
  private readonly waitingForFlow = new Set<Connection>();
  private readonly queue = new SessionQueue();
  private readonly admissions = new WeakMap<IncomingMessage, Admission>();
  private readonly history: HistoryReplayer;
  private readonly limits: ConnectionLimits;
  private readonly rateLimitedFrame: string;
  private readonly options: SessionServiceOptions;
  private readonly logger: Logger;
  private readonly unsubscribe: () => void;
  private closing = false;
  /** origins refused lately: when their last log line was, and refusals since */
  private readonly refusedOrigins = new Map<string, { at: number; since: number }>();

  constructor(options: SessionServiceOptions) {
    this.options = options;
    this.logger = options.logger;
    this.limits = options.limits ?? DEFAULT_LIMITS;
    this.history = options.history ?? new HistoryReplayer(options.stream, options.replayChunkSize, this.limits);
    this.rateLimitedFrame = errorFrame('rate-limited', `Too many messages: at most ${this.limits.framesPerSecond} a second. Wait a moment before sending more.`);
    this.wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload: options.maxFrameBytes,
      skipUTF8Validation: false,
    });
    this.wss.on('headers', (headers, req) => {
      const admission = this.admissions.get(req);
      if (admission?.isNew && !options.admission?.resumes) headers.push(`Set-Cookie: ${sessionCookieHeader(admission.sid, admission.secure, SESSION_COOKIE, !options.cookieReadableByScript)}`);
    });
    this.unsubscribe = options.followStream ? options.stream.subscribe((batch) => this.follow(batch)) : () => {};
  }

  /** Sessions with at least one open socket. */
  get sessionCount(): number {
    return this.sessions.size;
  }

  /** Open sockets. */
  get connectionCount(): number {
    return [...this.connections()].length;
  }

  /** Bytes written to the sockets and not yet taken by their peers (the memory slow readers hold). */
  get bufferedBytes(): number {
    return [...this.connections()].reduce((bytes, connection) => bytes + connection.ws.bufferedAmount, 0);
  }

  private *connections(): Iterable<Connection> {
    for (const session of this.sessions.values()) yield* session.connections;
  }

  /**
   * Socket errors while the upgrade is handled; once `ws` has the socket it handles them itself (a
   * visitor whose connection drops is not an upgrade failure, and a busy server's log would fill with them).
   */
  private readonly onUpgradeSocketError = (error: Error): void => this.logger.warn(`websocket upgrade: socket error: ${error.message}`);

  /** Handle an HTTP upgrade request (the server's `upgrade` event). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', this.onUpgradeSocketError);
    if (this.closing) return reject(socket, 503, 'Service Unavailable');
    if ((req.url ?? '/').split('?', 1)[0] !== (this.options.path ?? '/')) return reject(socket, 404, 'Not Found');
    if (!this.options.originCheck(req.headers)) {
      this.logRefusedOrigin(String(req.headers.origin), String(req.headers.host));
      return reject(socket, 403, 'Forbidden');
    }
    let address: string | undefined;
    if (this.options.addressLimits) {
      address = this.options.addressLimits.addressOf(req);
      if (!this.options.addressLimits.openSocket(address)) return reject(socket, 429, 'Too Many Requests');
      const counted = address;
      socket.once('close', () => this.options.addressLimits!.closeSocket(counted));
    }
    this.admit(req, socket, head, address).catch((error: unknown) => {
      this.logger.error(`websocket upgrade failed: ${describeError(error)}`);
      reject(socket, 503, 'Service Unavailable');
    });
  }

  /**
   * Says once a minute per origin that its pages may not open the websocket, and how to allow them:
   * a widget on such a page retries every few seconds, which would fill the log.
   */
  private logRefusedOrigin(origin: string, host: string): void {
    const now = Date.now();
    const last = this.refusedOrigins.get(origin);
    if (last && now - last.at < ORIGIN_LOG_INTERVAL_MS) {
      last.since += 1;
      return;
    }
    if (this.refusedOrigins.size >= MAX_ORIGINS_REMEMBERED) this.refusedOrigins.clear();
    const since = last && last.since > 0 ? ` (refused ${last.since} more time${last.since === 1 ? '' : 's'} since the last line)` : '';
    this.refusedOrigins.set(origin, { at: now, since: 0 });
    this.logger.warn(`websocket upgrade refused: a page at origin ${JSON.stringify(origin)} may not talk to this server at ${JSON.stringify(host)}${since}; to allow it, start the server with --allowed-origin ${origin}`);
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
      const session = this.sessions.get(sid);
      return session ? this.resetNow(sid, session) : false;
    });
  }

  /**
   * A new flow runs (the studio's draft changed): re-check live session `sid` in its order, after the
   * turns it has queued, so an answer that arrived before the change counts as given. A session that
   * recorded nothing yet takes the new flow's opening: where that reads as what its widget shows it
   * stays as it is ('kept'; an answer on its way is not lost to a restart that would change nothing),
   * else it is reset quietly ('reopened'). For one with records, `restartRecorded` decides.
   */
  recheckAfterFlowChange(sid: string, restartRecorded: () => Promise<boolean>): Promise<'kept' | 'reopened' | 'restarted' | 'gone'> {
    return this.queue.run(sid, async () => {
      const session = this.sessions.get(sid);
      if (!session) return 'gone';
      if (session.opening) {
        const fresh = this.reopen(sid, session);
        if (fresh?.ok && !fresh.recordNow && sameFrames(session.opening, fresh.records)) {
          session.opening = fresh.records;
          return 'kept';
        }
        this.resetUnrecorded(session);
        return 'reopened';
      }
      if (!(await restartRecorded())) return 'kept';
      return (await this.resetNow(sid, session)) ? 'restarted' : 'kept';
    });
  }

  /** The opening a session that recorded nothing would be shown now. */
  private reopen(sid: string, session: LiveSession): TurnOpening | undefined {
    const startAt = session.connections.values().next().value?.startAt;
    return this.options.turns.open?.(sid, startEvent(startAt));
  }

  private async resetNow(sid: string, session: LiveSession): Promise<boolean> {
    if (session.opening) {
      this.resetUnrecorded(session);
      return true;
    }
    const result = await this.options.turns.turn(sid, { kind: 'reset' });
    if (!result.ok) {
      this.logger.warn(`session ${sid.slice(0, 8)}: reset failed: ${result.message}`);
      return false;
    }
    this.deliver(sid, result.records);
    return true;
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
    await closeAll([...this.connections()].map((connection) => connection.ws));
    // Queued turns of closed sockets are dropped when they come up, so this waits for running ones only.
    await this.queue.idle();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private async admit(req: IncomingMessage, socket: Duplex, head: Buffer, address: string | undefined): Promise<void> {
    const rules = this.options.admission;
    // An interceptor hands the socket to its own ws server, which handles its errors from then on.
    if (rules?.intercept?.(req, socket, head)) return void socket.off('error', this.onUpgradeSocketError);
    const asked = rules?.resumes ? rules.resumes(req) : readSessionCookie(req.headers.cookie);
    let sid: string | undefined;
    if (asked && (this.sessions.has(asked) || this.options.stream.hasSession(asked))) {
      const state = await this.queue.run(asked, () => this.options.states.load(asked));
      if (!state.reset) sid = asked;
    }
    const admission: Admission = { sid: sid ?? newSessionId(), isNew: sid === undefined, secure: isSecureRequest(req) };
    const limits = this.options.addressLimits;
    if (admission.isNew && address !== undefined && limits && !limits.takeNewSession(address)) {
      return reject(socket, 429, 'Too Many Requests', { 'Retry-After': String(limits.retryAfterSeconds(address)) });
    }
    if (admission.isNew && rules?.newSession) Object.assign(admission, rules.newSession(req, admission.sid, asked));
    if (socket.destroyed || this.closing) return;
    this.admissions.set(req, admission);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.open(ws, socket, admission));
  }

  private open(ws: WebSocket, tcp: Duplex, admission: Admission): void {
    tcp.off('error', this.onUpgradeSocketError);
    const { sid } = admission;
    const connection: Connection = { ws, tcp, sid, replayedThrough: -1, held: null, startAt: admission.startAt, frames: newFrameBucket(this.limits) };
    let session = this.sessions.get(sid);
    if (!session) this.sessions.set(sid, (session = { connections: new Set(), opening: null }));
    session.connections.add(connection);
    ws.on('message', (data, isBinary) => this.onFrame(connection, data, isBinary));
    ws.on('error', (error) => this.logger.warn(`session ${sid.slice(0, 8)}: ${error.message}`));
    ws.on('close', () => this.remove(connection));
    // The notice is not a flow message: it is shown once and never recorded.
    if (admission.notice) this.push(connection, JSON.stringify({ kind: 'BotText', content: admission.notice }));
    if (admission.isNew) void this.queue.run(sid, () => this.startSession(connection));
    // The replay itself runs outside the session's queue: a slow reader must not hold up its session's turns.
    else void this.queue.run(sid, async () => this.prepareReplay(connection)).then((replaying) => (replaying ? this.replay(connection) : undefined));
  }

  private remove(connection: Connection): void {
    this.waitingForFlow.delete(connection);
    const session = this.sessions.get(connection.sid);
    if (!session) return;
    session.connections.delete(connection);
    // A deferred start that never got an answer leaves with its last socket: nothing was recorded.
    if (session.connections.size === 0) this.sessions.delete(connection.sid);
  }

  private async startSession(connection: Connection): Promise<void> {
    if (connection.ws.readyState !== WebSocket.OPEN) return;
    const event = startEvent(connection.startAt);
    const turns = this.options.turns;
    if (this.options.deferStart && turns.open) {
      const opened = turns.open(connection.sid, event);
      if (!opened.ok) return this.cannotStart(connection, opened);
      if (!opened.recordNow) return this.showOpening(connection, opened.records);
    }
    const result = await turns.turn(connection.sid, event);
    if (result.ok) return this.deliver(connection.sid, result.records);
    this.cannotStart(connection, result);
  }

  private cannotStart(connection: Connection, result: TurnRefusal): void {
    this.push(connection, errorFrame(result.code, result.message));
    if (result.code === 'no-flow') this.waitingForFlow.add(connection);
    // Nothing was recorded: closing lets the widget reconnect and start afresh.
    else connection.ws.close(1011, 'session could not start');
  }

  /** A deferred start: its records are shown (kept on the live session until its first answer records them). */
  private showOpening(connection: Connection, records: StreamRecord[]): void {
    const session = this.sessions.get(connection.sid);
    if (!session) return;
    session.opening = records;
    for (const record of records) {
      const frame = widgetFrameOf(record);
      if (frame !== undefined) this.push(connection, frame);
    }
  }

  private onFrame(connection: Connection, data: RawData, isBinary: boolean): void {
    if (!takeFrame(connection.frames, this.limits)) {
      if (refusedTooLong(connection.frames, this.limits)) closeFirmly(connection.ws, CLOSE_RATE_LIMITED, 'rate limited: too many frames');
      else this.push(connection, this.rateLimitedFrame);
      return;
    }
    const parsed = parseClientFrame(data, isBinary);
    if (!parsed.ok) {
      this.push(connection, errorFrame(parsed.code, parsed.message));
      return;
    }
    const frame = parsed.frame;
    const event: TurnEvent = frame.kind === 'ResetSession' ? { kind: 'reset' } : { kind: 'response', message: frame };
    void this.queue.run(connection.sid, () => this.takeTurn(connection, event));
  }

  /** Not async on purpose: what waits for the commit is one small closure, not this frame (see WorkflowService.step). */
  private takeTurn(connection: Connection, event: TurnEvent): Promise<void> {
    // The client is gone: its pending work goes with it.
    if (connection.ws.readyState !== WebSocket.OPEN) return DONE;
    const session = this.sessions.get(connection.sid);
    const opening = session?.opening ?? undefined;
    if (opening && event.kind === 'reset') {
      this.resetUnrecorded(session!);
      return DONE;
    }
    return this.options.turns.turn(connection.sid, event, opening).then(
      (result) => {
        if (!result.ok) return this.push(connection, errorFrame(result.code, result.message));
        if (opening && session!.opening === opening) session!.opening = null;
        // The opening's frames were shown when the session started.
        this.deliver(connection.sid, opening ? result.records.slice(opening.length) : result.records, connection);
      },
      (error: unknown) => {
        this.logger.error(`session ${connection.sid.slice(0, 8)}: turn failed: ${describeError(error)}`);
        this.push(connection, errorFrame('stream-unavailable', 'The message store is unavailable: try again in a moment.'));
      },
    );
  }

  /** Reset a session that recorded nothing yet: there is nothing to record, only its sockets to close. */
  private resetUnrecorded(session: LiveSession): void {
    session.opening = null;
    closeForReset([...session.connections].map((connection) => connection.ws));
  }

  /** Send a frame unless the socket has too much unread already: then close it (the widget reconnects and replays). */
  private push({ ws }: Connection, frame: string): void {
    if (ws.readyState !== WebSocket.OPEN) return;
    if (ws.bufferedAmount > this.limits.maxBufferedBytes) return closeFirmly(ws, CLOSE_SLOW_READER, `too slow: ${ws.bufferedAmount} bytes unread`);
    ws.send(frame);
  }

  /**
   * In the session's queue, before a replay: from here on live records are held for the socket
   * (they may be in the history it is about to read, or after it). A session with nothing
   * recorded yet shows its opening instead; returns whether to replay.
   */
  private prepareReplay(connection: Connection): boolean {
    const opening = this.sessions.get(connection.sid)?.opening;
    if (opening) {
      this.showOpening(connection, opening);
      return false;
    }
    connection.held = [];
    return true;
  }

  /** Send the session's history to a socket that just connected, chunk by chunk, then what arrived meanwhile. */
  private async replay(connection: Connection): Promise<void> {
    let through = -1;
    try {
      through = await this.history.send(connection.ws, connection.tcp, connection.sid, Number.MAX_SAFE_INTEGER);
    } catch (error) {
      this.logger.error(`session ${connection.sid.slice(0, 8)}: replay failed: ${describeError(error)}`);
      this.push(connection, errorFrame('stream-unavailable', 'The conversation history could not be read: reconnect to try again.'));
    }
    const held = connection.held ?? [];
    connection.held = null;
    connection.replayedThrough = through;
    for (const item of held) if (item.offset > through) this.push(connection, item.frame);
  }

  /** Show durable records to the session's sockets; the sender of an answer does not get it echoed (nor serialized, when alone). */
  private deliver(sid: string, records: StoredRecord[], origin?: Connection): void {
    const connections = this.sessions.get(sid)?.connections;
    if (!connections) return;
    // One write per socket for all of the turn's frames, not one per frame.
    corked([...connections].map((connection) => connection.tcp), () => this.deliverTo(connections, records, origin));
  }

  private deliverTo(connections: Set<Connection>, records: StoredRecord[], origin: Connection | undefined): void {
    for (const stored of records) {
      if (isResetRecord(stored.record)) {
        closeForReset([...connections].map((connection) => connection.ws));
        continue;
      }
      const echo = stored.record.payload?.kind === 'Response';
      const frame = echo && origin && connections.size === 1 && connections.has(origin) ? undefined : widgetFrameOf(stored.record);
      if (frame === undefined) continue;
      for (const connection of connections) {
        if (echo && connection === origin) continue;
        if (stored.offset <= connection.replayedThrough) continue;
        if (connection.held) connection.held.push({ offset: stored.offset, frame });
        else this.push(connection, frame);
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

/** A new session's start event: at the state `?start=` names, or at the flow's start. */
function startEvent(at: string | undefined): Extract<TurnEvent, { kind: 'start' }> {
  return at === undefined ? { kind: 'start' } : { kind: 'start', at };
}

/** Whether two unrecorded openings show the widget the same frames. */
function sameFrames(shown: StreamRecord[], fresh: StreamRecord[]): boolean {
  const framesOf = (records: StreamRecord[]) => records.flatMap((record) => widgetFrameOf(record) ?? []);
  const a = framesOf(shown);
  const b = framesOf(fresh);
  return a.length === b.length && a.every((frame, i) => frame === b[i]);
}
