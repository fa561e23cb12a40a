/**
 * What one client may cost the server: frames per second per socket (a token bucket: a burst, then
 * `rate-limited` error frames, then a close if it goes on), open sockets and new sessions per
 * client address, and how many bytes may wait unread on a socket (see `historyReplayer.ts` and the
 * session service's live sends). Defaults suit a public website's chat widget; `serve` has flags.
 */
import type { IncomingMessage } from 'node:http';

export interface ConnectionLimits {
  /** frames a socket may send per second, sustained */
  framesPerSecond: number;
  /** frames a socket may send at once above the sustained rate */
  frameBurst: number;
  /** open sockets per client address (0: no limit) */
  socketsPerAddress: number;
  /** new sessions per client address per minute, as a burst refilled evenly over the minute (0: no limit) */
  newSessionsPerMinute: number;
  /** bytes that may wait unread on one socket: replay pauses above it, a live send above it closes the socket */
  maxBufferedBytes: number;
  /** how long a replay may stay paused above `maxBufferedBytes` before the socket is closed (ms) */
  slowSocketMs: number;
  /** the server is behind one reverse proxy: a client's address is the last `X-Forwarded-For` entry */
  trustProxy: boolean;
}

export const DEFAULT_LIMITS: Readonly<ConnectionLimits> = Object.freeze({
  framesPerSecond: 10,
  frameBurst: 30,
  socketsPerAddress: 256,
  newSessionsPerMinute: 120,
  maxBufferedBytes: 1024 * 1024,
  slowSocketMs: 10_000,
  trustProxy: false,
});

/** Close code for a socket that kept sending faster than its frame limit. */
export const CLOSE_RATE_LIMITED = 4029;
/** Close code for a socket that left more than `maxBufferedBytes` unread for too long. */
export const CLOSE_SLOW_READER = 4008;

/** Limits with the defaults filled in; throws on a value that makes no sense (names the field). */
export function resolveLimits(given: Partial<ConnectionLimits> = {}): ConnectionLimits {
  const limits = { ...DEFAULT_LIMITS, ...given };
  const positive = ['framesPerSecond', 'frameBurst', 'maxBufferedBytes', 'slowSocketMs'] as const;
  for (const name of positive) if (!(limits[name] > 0)) throw new Error(`limits.${name} must be a positive number (got ${limits[name]})`);
  for (const name of ['socketsPerAddress', 'newSessionsPerMinute'] as const) {
    if (!Number.isInteger(limits[name]) || limits[name] < 0) throw new Error(`limits.${name} must be a whole number, 0 for no limit (got ${limits[name]})`);
  }
  return limits;
}

/**
 * A socket's frame allowance: `tokens` refill at `framesPerSecond` up to `frameBurst`; each frame
 * takes one. Plain fields on the connection, no timer: a frame costs a subtraction and a clock read.
 */
export interface FrameBucket {
  tokens: number;
  refilledAt: number;
  /** frames refused in a row (reset by an accepted frame) */
  refusedInARow: number;
}

export function newFrameBucket(limits: ConnectionLimits, now = Date.now()): FrameBucket {
  return { tokens: limits.frameBurst, refilledAt: now, refusedInARow: 0 };
}

/** Take a token for one frame; false when the socket is over its limit. */
export function takeFrame(bucket: FrameBucket, limits: ConnectionLimits, now = Date.now()): boolean {
  bucket.tokens = Math.min(limits.frameBurst, bucket.tokens + ((now - bucket.refilledAt) * limits.framesPerSecond) / 1000);
  bucket.refilledAt = now;
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    bucket.refusedInARow = 0;
    return true;
  }
  bucket.refusedInARow += 1;
  return false;
}

/** After this many refused frames in a row (a second's worth, at least 10), the socket is closed. */
export function refusedTooLong(bucket: FrameBucket, limits: ConnectionLimits): boolean {
  return bucket.refusedInARow >= Math.max(10, limits.framesPerSecond);
}

/** Open sockets and new-session allowances per client address. */
export class AddressLimits {
  private readonly sockets = new Map<string, number>();
  private readonly sessionBuckets = new Map<string, { tokens: number; refilledAt: number }>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly limits: ConnectionLimits) {
    // Full buckets say nothing a fresh one wouldn't: drop them so the map follows active addresses.
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  /** The client's address: the TCP peer, or behind a trusted proxy the last `X-Forwarded-For` entry. */
  addressOf(req: IncomingMessage): string {
    if (this.limits.trustProxy) {
      const header = req.headers['x-forwarded-for'];
      const text = Array.isArray(header) ? header.join(',') : header;
      const last = text?.split(',').pop()?.trim();
      if (last) return last;
    }
    return req.socket.remoteAddress ?? 'unknown';
  }

  /** Count an open socket for `address`; false (nothing counted) when the address has its fill. */
  openSocket(address: string): boolean {
    const open = this.sockets.get(address) ?? 0;
    if (this.limits.socketsPerAddress > 0 && open >= this.limits.socketsPerAddress) return false;
    this.sockets.set(address, open + 1);
    return true;
  }

  closeSocket(address: string): void {
    const open = (this.sockets.get(address) ?? 1) - 1;
    if (open <= 0) this.sockets.delete(address);
    else this.sockets.set(address, open);
  }

  /** Take a new session's token for `address`; false when it started too many this minute. */
  takeNewSession(address: string, now = Date.now()): boolean {
    const perMinute = this.limits.newSessionsPerMinute;
    if (perMinute === 0) return true;
    const bucket = this.sessionBuckets.get(address) ?? { tokens: perMinute, refilledAt: now };
    bucket.tokens = Math.min(perMinute, bucket.tokens + ((now - bucket.refilledAt) * perMinute) / 60_000);
    bucket.refilledAt = now;
    this.sessionBuckets.set(address, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Seconds until `address` may start a session again (for Retry-After). */
  retryAfterSeconds(address: string): number {
    const bucket = this.sessionBuckets.get(address);
    if (!bucket || this.limits.newSessionsPerMinute === 0) return 1;
    return Math.max(1, Math.ceil(((1 - bucket.tokens) * 60) / this.limits.newSessionsPerMinute));
  }

  close(): void {
    clearInterval(this.sweeper);
  }

  private sweep(now = Date.now()): void {
    const perMinute = this.limits.newSessionsPerMinute;
    for (const [address, bucket] of this.sessionBuckets) {
      if (bucket.tokens + ((now - bucket.refilledAt) * perMinute) / 60_000 >= perMinute) this.sessionBuckets.delete(address);
    }
  }
}
