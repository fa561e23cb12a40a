/**
 * A real `ws` client for the runtime's tests and benchmark: connects like the widget (optionally
 * with a cookie and an Origin), remembers the session cookie the server sets, and lets a test
 * await the frames in order.
 */
import { WebSocket } from 'ws';
import { SESSION_COOKIE } from '../server/sessionCookie.ts';

export interface ConnectOptions {
  /** session id to send as the cookie */
  sid?: string;
  /** a raw Cookie header (overrides `sid`) */
  cookieHeader?: string;
  origin?: string;
  maxPayload?: number;
  /** more request headers (e.g. X-Forwarded-For) */
  headers?: Record<string, string>;
}

export type Frame = { kind: string; [field: string]: unknown };

export class WsTestClient {
  readonly ws: WebSocket;
  /** the session id in effect: the one set by the server, or the one sent */
  sid: string | undefined;
  /** whether the server set a new cookie on the upgrade */
  cookieSet = false;
  private readonly received: Frame[] = [];
  private readonly listeners: ((frame: Frame) => void)[] = [];
  private waiter: { resolve: () => void } | undefined;
  closeCode: number | undefined;
  private readonly closed: Promise<number>;

  private constructor(ws: WebSocket, sid: string | undefined) {
    this.ws = ws;
    this.sid = sid;
    ws.on('message', (data, isBinary) => {
      const frame = isBinary ? { kind: '(binary)' } : (JSON.parse(data.toString()) as Frame);
      this.received.push(frame);
      for (const listener of this.listeners) listener(frame);
      this.waiter?.resolve();
    });
    this.closed = new Promise((resolve) =>
      ws.once('close', (code) => {
        this.closeCode = code;
        this.waiter?.resolve();
        resolve(code);
      }),
    );
  }

  /** Open a socket to `url` (http:// or ws://) and wait until it is open. */
  static connect(url: string, options: ConnectOptions = {}): Promise<WsTestClient> {
    const headers: Record<string, string> = { ...options.headers };
    const cookie = options.cookieHeader ?? (options.sid ? `${SESSION_COOKIE}=${options.sid}` : undefined);
    if (cookie) headers.Cookie = cookie;
    if (options.origin) headers.Origin = options.origin;
    const ws = new WebSocket(url.replace(/^http/, 'ws'), { headers, maxPayload: options.maxPayload, perMessageDeflate: false });
    const client = new WsTestClient(ws, options.sid);
    ws.on('upgrade', (res) => {
      const setCookie = res.headers['set-cookie']?.find((line) => line.startsWith(`${SESSION_COOKIE}=`));
      if (setCookie) {
        client.sid = setCookie.slice(SESSION_COOKIE.length + 1).split(';', 1)[0];
        client.cookieSet = true;
      }
    });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => {
        const retryAfter = res.headers['retry-after'];
        reject(new Error(`upgrade refused: ${res.statusCode}${retryAfter ? ` (Retry-After: ${retryAfter})` : ''}`));
      });
    });
  }

  /** Frames received so far (read or not). */
  get frames(): readonly Frame[] {
    return this.received;
  }

  private cursor = 0;

  /** The next unread frame; rejects after `timeoutMs` or when the socket closes first. */
  async next(timeoutMs = 5000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    while (this.cursor >= this.received.length) {
      if (this.closeCode !== undefined) throw new Error(`socket closed (${this.closeCode}) while waiting for a frame`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no frame within ${timeoutMs} ms (got ${JSON.stringify(this.received)})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = {
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        };
      });
      this.waiter = undefined;
    }
    return this.received[this.cursor++];
  }

  /** The next `count` unread frames. */
  async take(count: number, timeoutMs = 5000): Promise<Frame[]> {
    const frames: Frame[] = [];
    for (let i = 0; i < count; i++) frames.push(await this.next(timeoutMs));
    return frames;
  }

  /** Resolves when no frame arrives for `quietMs` (the first may take up to `firstFrameMs`); returns the unread frames. */
  async drain(quietMs = 100, firstFrameMs = quietMs): Promise<Frame[]> {
    const frames: Frame[] = [];
    for (;;) {
      try {
        frames.push(await this.next(frames.length === 0 ? Math.max(quietMs, firstFrameMs) : quietMs));
      } catch {
        return frames;
      }
    }
  }

  /**
   * Call `listener` for every frame: those already received (frames can arrive in the same tick
   * as 'open', before the caller could listen), then each new one.
   */
  onFrame(listener: (frame: Frame) => void): void {
    for (const frame of this.received) listener(frame);
    this.listeners.push(listener);
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Close and wait for the close to complete; returns the close code. */
  async close(): Promise<number> {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close();
    return this.closed;
  }

  /** Wait for the server to close the socket; returns the code. */
  whenClosed(): Promise<number> {
    return this.closed;
  }
}
