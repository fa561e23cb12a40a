/**
 * The session catalog: one compact entry per recorded session, built by reading the stream once
 * and then kept current from `subscribe` (never a re-scan). An entry holds the listing fields and,
 * for replays, each step's event as a small integer (answers are interned) and a print of what
 * was sent, so coverage over every session needs no stream reads. It also keeps a lowercase digest
 * of what the user typed or picked, for the text filter (bounded: see `MAX_TEXT_CHARS`).
 */
import { applyPayload, emptyPending, type PendingState } from '../flow/pendingState.ts';
import type { MessageStream, StoredRecord } from '../stream/messageStream.ts';
import type { RequestMessage } from '../flow/types.ts';
import type { SessionInfo } from './historyTypes.ts';
import type { RecordedStep } from './replaySession.ts';
import { stepPrint } from './stepPrint.ts';

const READ_BATCH = 8192;
const START_EVENT = 0;
const RESET_EVENT = 1;
/**
 * The text digest keeps the first this-many characters a session's user wrote (its answers, one
 * per line): at most ~4 KB per session (~40 MB for 10,000 sessions), so the filter scans memory
 * only. Words typed after that are not found.
 */
export const MAX_TEXT_CHARS = 2048;

export interface CatalogEntry {
  readonly sid: string;
  started: string;
  lastActivity: string;
  messages: number;
  lastOffset: number;
  preview: boolean;
  flowHash: string | null;
  /** the start record's `flow` tag (see `flowOf` for sessions without one) */
  flow: string | null;
  /** `state` tag of the last request */
  state: string | null;
  /** the last request's message */
  request: RequestMessage | null;
  pending: PendingState;
  reset: boolean;
  sentAny: boolean;
  /** per step: 0 start, 1 reset, n >= 2 the interned event n (an answer, or an operator's release) */
  events: number[];
  /** `stepPrint` of every closed step; the open (last) step's print comes from openStates/openRequests */
  prints: number[];
  openStates: (string | undefined)[];
  openRequests: unknown[];
  /** lowercase text of the user's answers (typed text, picked choice labels), one per line, capped at MAX_TEXT_CHARS */
  text: string;
}

export class SessionCatalog {
  private readonly entries = new Map<string, CatalogEntry>();
  /** answers and releases, interned: code n >= 2 is interned[n - 2] */
  private readonly interned: RecordedStep['event'][] = [];
  private readonly codes = new Map<string, number>();
  /** flowHash -> the flow file a tagged session with that hash ran (the last one seen) */
  private readonly flowOfHash = new Map<string, string>();
  private nextOffset = 0;
  private unsubscribe: () => void = () => {};
  private changes = 0;

  private constructor(private readonly stream: MessageStream) {}

  /** Reads the stream from the start, then follows it. Resolves once the catalog is current. */
  static async open(stream: MessageStream): Promise<SessionCatalog> {
    const catalog = new SessionCatalog(stream);
    await catalog.load();
    return catalog;
  }

  /** Grows with every record applied: caches keyed by it go stale when sessions change. */
  get version(): number {
    return this.changes;
  }

  get size(): number {
    return this.entries.size;
  }

  all(): IterableIterator<CatalogEntry> {
    return this.entries.values();
  }

  get(sid: string): CatalogEntry | undefined {
    return this.entries.get(sid);
  }

  /** The listing fields of an entry. */
  info(entry: CatalogEntry): SessionInfo {
    const waiting = entry.pending.choiceGroups.length > 0 || entry.pending.chatSessions.length > 0;
    return {
      sid: entry.sid,
      started: entry.started,
      lastActivity: entry.lastActivity,
      messages: entry.messages,
      kind: entry.preview ? 'preview' : 'real',
      flowHash: entry.flowHash,
      flow: this.flowOf(entry),
      state: entry.state,
      request: entry.request,
      endedAtFinal: entry.sentAny && !waiting && !entry.reset,
      waiting: waiting && !entry.reset,
      reset: entry.reset,
    };
  }

  /**
   * The flow file a session ran: its own tag, else the file a tagged session with the same content
   * ran (real sessions run published versions, which the studio previewed under their name first).
   */
  flowOf(entry: CatalogEntry): string | null {
    return entry.flow ?? (entry.flowHash !== null ? (this.flowOfHash.get(entry.flowHash) ?? null) : null);
  }

  /** The session's steps for a replay (events resolved, prints of every step). */
  steps(entry: CatalogEntry): RecordedStep[] {
    return entry.events.map((code, i) => {
      const last = i === entry.events.length - 1;
      const print = last ? stepPrint(entry.openStates, entry.openRequests) : entry.prints[i];
      const sentRequests = last ? entry.openRequests.length > 0 : print !== EMPTY_PRINT;
      if (code === START_EVENT) return { event: { kind: 'start' }, print, sentRequests };
      if (code === RESET_EVENT) return { event: { kind: 'reset' }, print, sentRequests };
      return { event: this.interned[code - 2], print, sentRequests };
    });
  }

  /** Stops following the stream. */
  close(): void {
    this.unsubscribe();
  }

  private async load(): Promise<void> {
    const queued: StoredRecord[][] = [];
    let loading = true;
    this.unsubscribe = this.stream.subscribe((batch) => {
      if (loading) queued.push(batch);
      else this.apply(batch);
    });
    const end = this.stream.endOffset();
    while (this.nextOffset < end) {
      const batch = await this.stream.read(this.nextOffset, Math.min(READ_BATCH, end - this.nextOffset));
      if (batch.length === 0) break;
      this.apply(batch);
    }
    loading = false;
    for (const batch of queued) this.apply(batch);
  }

  private apply(batch: readonly StoredRecord[]): void {
    for (const stored of batch) {
      // Records delivered twice (read and subscription overlap) are applied once.
      if (stored.offset < this.nextOffset) continue;
      this.nextOffset = stored.offset + 1;
      this.add(stored);
    }
    this.changes += 1;
  }

  private add({ offset, record }: StoredRecord): void {
    const { sid, timestamp, payload } = record;
    let entry = this.entries.get(sid);
    if (!entry) {
      entry = {
        sid, started: timestamp, lastActivity: timestamp, messages: 0, lastOffset: offset, preview: false, flowHash: null, flow: null, state: null, request: null,
        pending: emptyPending(), reset: false, sentAny: false, events: [], prints: [], openStates: [], openRequests: [], text: '',
      };
      this.entries.set(sid, entry);
    }
    entry.lastActivity = timestamp;
    entry.lastOffset = offset;
    if (!payload) {
      if (record.preview === true) entry.preview = true;
      if (typeof record.flowHash === 'string') entry.flowHash = record.flowHash;
      if (typeof record.flow === 'string') entry.flow = record.flow;
      if (entry.flow !== null && entry.flowHash !== null) this.flowOfHash.set(entry.flowHash, entry.flow);
      this.openStep(entry, START_EVENT);
      return;
    }
    entry.messages += 1;
    entry.pending = applyPayload(entry.pending, payload);
    if (payload.kind === 'Request') {
      entry.sentAny = true;
      const state = typeof record.state === 'string' ? record.state : undefined;
      entry.state = state ?? null;
      entry.request = payload.message;
      entry.openStates.push(state);
      entry.openRequests.push(payload.message);
      return;
    }
    const message = payload.message;
    if (payload.kind === 'Operator') {
      // An operator's release is a step of its own: the flow goes on where they picked (replay does the same).
      if (message.kind === 'OperatorRelease') this.openStep(entry, this.intern(releaseEvent(message)));
      return;
    }
    if (message.kind === 'ResetSession') {
      entry.reset = true;
      this.openStep(entry, RESET_EVENT);
    } else if (message.kind === 'ChoiceResponse' || message.kind === 'UserText') {
      this.openStep(entry, this.intern(answerEvent(message)));
      if (typeof message.content === 'string') addText(entry, message.content);
    }
  }

  private openStep(entry: CatalogEntry, code: number): void {
    if (entry.events.length > 0) entry.prints.push(stepPrint(entry.openStates, entry.openRequests));
    entry.events.push(code);
    entry.openStates = [];
    entry.openRequests = [];
  }

  /** Events that route alike share one code. */
  private intern(event: RecordedStep['event']): number {
    const key = JSON.stringify(event);
    let code = this.codes.get(key);
    if (code === undefined) {
      code = this.interned.length + 2;
      this.interned.push(event);
      this.codes.set(key, code);
    }
    return code;
  }
}

/** An answer as the engine sees it: only the ids matter, never the typed text. */
function answerEvent(message: { kind: string; [field: string]: unknown }): RecordedStep['event'] {
  const response = message.kind === 'ChoiceResponse'
    ? { kind: message.kind, groupId: message.groupId, itemId: message.itemId }
    : { kind: message.kind, sessionId: message.sessionId, content: '' };
  return { kind: 'response', response };
}

/** An operator's release as a replay step: resume at a state, end, or go on where the flow was. */
function releaseEvent(message: { [field: string]: unknown }): RecordedStep['event'] {
  const { resumeAt, end } = message;
  return { kind: 'resume', ...(typeof resumeAt === 'string' ? { at: resumeAt } : {}), ...(end === true ? { end: true } : {}) };
}

function addText(entry: CatalogEntry, content: string): void {
  const room = MAX_TEXT_CHARS - entry.text.length;
  if (room <= 0 || content === '') return;
  entry.text += `${content.slice(0, room).toLowerCase()}\n`;
}

/** The print of a step that sent nothing. */
const EMPTY_PRINT = stepPrint([], []);
