/**
 * How a preview socket's URL picks its session. The preview page is sandboxed (an opaque origin,
 * so it sends no cookies): instead, `?key=KEY` names the preview conversation. KEY is 128 random
 * bits the studio draws for each conversation (each restart); the first socket with a key starts a
 * new session for it and later sockets with that key resume it (a reload replays it) until it is
 * reset. A socket with no key, a malformed one or one never seen gets a new session: a key is never
 * a session id, so knowing a sid resumes nothing. `?start=STATE` starts the new session at that
 * state, `?replay=SID&upto=OFFSET` opens a read-only view of a recorded session, and a session that
 * replaces one the studio restarted is shown a notice.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { PREVIEW_KEY_PARAM } from '../../contract/previewPage.ts';
import type { AdmissionRules } from '../admissionRules.ts';
import type { ReplayViews } from './replayViews.ts';

/** How long a restarted session's notice waits for its widget to reconnect. */
const NOTICE_TTL_MS = 30_000;
/** Conversation keys remembered (one per preview restart); the oldest are forgotten first. */
const MAX_KEYS = 1000;
/** A conversation key: 128 bits as 32 lowercase hex characters. */
const KEY_PATTERN = /^[0-9a-f]{32}$/;

export class PreviewAdmission implements AdmissionRules {
  /** notices for the sessions that replace restarted ones, by the restarted session's id */
  private readonly notices = new Map<string, string>();
  /** the session each conversation key runs in (insertion order: oldest first, capped) */
  private readonly keySessions = new Map<string, string>();

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

  resumes(req: IncomingMessage): string | undefined {
    const key = conversationKey(req.url);
    return key === undefined ? undefined : this.keySessions.get(key);
  }

  newSession(req: IncomingMessage, sid: string, asked: string | undefined): { startAt?: string; notice?: string } {
    const key = conversationKey(req.url);
    if (key !== undefined) this.remember(key, sid);
    const notice = asked === undefined ? undefined : this.notices.get(asked);
    if (notice !== undefined) this.notices.delete(asked!);
    return { startAt: queryParam(req.url, 'start'), notice };
  }

  private remember(key: string, sid: string): void {
    this.keySessions.delete(key);
    this.keySessions.set(key, sid);
    if (this.keySessions.size > MAX_KEYS) this.keySessions.delete(this.keySessions.keys().next().value as string);
  }
}

/** The socket URL's conversation key, if it has a well-formed one. */
function conversationKey(url: string | undefined): string | undefined {
  const key = queryParam(url, PREVIEW_KEY_PARAM);
  return key !== undefined && KEY_PATTERN.test(key) ? key : undefined;
}

/** A query parameter of a socket URL (`start`: a state name the workflow checks; `key`: checked above), if present and sane. */
function queryParam(url: string | undefined, name: string): string | undefined {
  const at = (url ?? '').indexOf('?');
  if (at < 0) return undefined;
  const value = new URLSearchParams((url ?? '').slice(at + 1)).get(name);
  return value === null || value === '' || value.length > 1000 ? undefined : value;
}
