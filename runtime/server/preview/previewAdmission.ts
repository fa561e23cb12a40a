/**
 * How a preview socket's URL picks its session (the studio's rules on top of the cookie):
 * `?start=STATE` starts a new session at that state, `?fresh=NONCE` asks for a new session once
 * per nonce (reconnects with it resume that one), `?replay=SID&upto=OFFSET` opens a read-only view
 * of a recorded session, and a session that replaces one the studio restarted is shown a notice.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AdmissionRules } from '../admissionRules.ts';
import type { ReplayViews } from './replayViews.ts';

/** How long a restarted session's notice waits for its widget to reconnect. */
const NOTICE_TTL_MS = 30_000;
/** `?fresh=` nonces remembered (one per preview restart); the oldest are forgotten first. */
const MAX_FRESH_NONCES = 1000;

export class PreviewAdmission implements AdmissionRules {
  /** notices for the sessions that replace restarted ones, by the restarted session's id */
  private readonly notices = new Map<string, string>();
  /** the session each `?fresh=` nonce created (insertion order: oldest first, capped) */
  private readonly freshSessions = new Map<string, string>();

  constructor(private readonly replayViews: ReplayViews) {}

  /** The session that replaces `sid` (restarted by the studio) is shown `notice` first. */
  leaveNotice(sid: string, notice: string): void {
    this.notices.set(sid, notice);
    setTimeout(() => {
      if (this.notices.get(sid) === notice) this.notices.delete(sid);
    }, NOTICE_TTL_MS).unref();
  }

  forgetNotice(sid: string): void {
    this.notices.delete(sid);
  }

  intercept(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const replaySid = queryParam(req.url, 'replay');
    if (replaySid === undefined) return false;
    const upto = Number(queryParam(req.url, 'upto') ?? Number.MAX_SAFE_INTEGER);
    this.replayViews.open(req, socket, head, replaySid, Number.isSafeInteger(upto) ? upto : -1);
    return true;
  }

  wantsNew(req: IncomingMessage, cookieSid: string | undefined): boolean {
    const fresh = queryParam(req.url, 'fresh');
    return fresh !== undefined && this.freshSessions.get(fresh) !== cookieSid;
  }

  newSession(req: IncomingMessage, sid: string, cookieSid: string | undefined): { startAt?: string; notice?: string } {
    const fresh = queryParam(req.url, 'fresh');
    if (fresh !== undefined) this.rememberFresh(fresh, sid);
    const notice = cookieSid === undefined ? undefined : this.notices.get(cookieSid);
    if (notice !== undefined) this.notices.delete(cookieSid!);
    return { startAt: queryParam(req.url, 'start'), notice };
  }

  private rememberFresh(nonce: string, sid: string): void {
    this.freshSessions.delete(nonce);
    this.freshSessions.set(nonce, sid);
    if (this.freshSessions.size > MAX_FRESH_NONCES) this.freshSessions.delete(this.freshSessions.keys().next().value as string);
  }
}

/** A query parameter of a socket URL (`start`: a state name the workflow checks; `fresh`: a nonce), if present and sane. */
function queryParam(url: string | undefined, name: string): string | undefined {
  const at = (url ?? '').indexOf('?');
  if (at < 0) return undefined;
  const value = new URLSearchParams((url ?? '').slice(at + 1)).get(name);
  return value === null || value === '' || value.length > 1000 ? undefined : value;
}
