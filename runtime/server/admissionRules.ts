/**
 * The hook by which the studio's preview takes part in admitting a websocket (start state, fresh
 * session, notices, read-only replay views) while the server itself knows only live sessions.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

/** Which session an upgrade joins, decided before the socket opens. */
export interface Admission {
  sid: string;
  isNew: boolean;
  secure: boolean;
  /** where a new session starts (preview `?start=`) */
  startAt?: string;
  /** shown first to a new session that replaces one the studio reset (preview admission) */
  notice?: string;
}

/**
 * Admission beyond "the cookie's session, or a new one". Called after the path, Origin and
 * closing checks; the studio preview uses it for `?key=`, `?start=`, notices and replay views.
 */
export interface AdmissionRules {
  /** Take the upgrade over (e.g. a read-only replay view): return true when taken. */
  intercept?(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /**
   * The session this request asks to resume, read from its URL instead of the session cookie (the
   * preview's sandboxed page has no cookies). With this rule the service reads and sets no cookie.
   */
  resumes?(req: IncomingMessage): string | undefined;
  /**
   * A new session `sid` is admitted (`asked`: the session the request asked to resume, when it
   * could not be, e.g. it was reset): where it starts, and a notice to show first (never recorded).
   */
  newSession?(req: IncomingMessage, sid: string, asked: string | undefined): { startAt?: string; notice?: string };
}
