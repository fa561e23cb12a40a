/**
 * What each live session is waiting for, cached in memory and derived from the stream: a session
 * that is not cached (after a restart, or after it was evicted for being idle) is rebuilt by
 * folding its history from the per-session index. Idle entries are evicted, so memory follows the
 * number of active sessions, not the number ever seen.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { applyPayload, emptyPending, isWaiting, type PendingState } from '../flow/pendingState.ts';
import type { MessageStream, StoredRecord } from '../stream/messageStream.ts';
import { ConcurrencyLimit } from './ConcurrencyLimit.ts';

/**
 * Rebuilds folding at once. A rebuild reads and folds a chunk every turn of the event loop; a
 * hundred widgets reconnecting after a restart would otherwise fold a hundred chunks between two
 * steps of every talking session (its turn waits several loop turns for its commit).
 */
const PARALLEL_REBUILDS = 4;

export interface SessionState {
  pending: PendingState;
  /** the session was reset: its cookie must not resume it */
  reset: boolean;
  /** offset of the last record folded in (-1 for none) */
  lastOffset: number;
  /** the flow version the session started on (its start record's `flowHash`), when known */
  flowHash?: string;
}

export const NEW_SESSION: SessionState = Object.freeze({ pending: emptyPending(), reset: false, lastOffset: -1 });

interface Entry {
  state: SessionState;
  touched: number;
}

export interface SessionStatesOptions {
  stream: MessageStream;
  /** evict entries unused for this long (ms); default 5 minutes */
  idleMs?: number;
  /** records per chunk when rebuilding */
  chunkSize?: number;
}

export class SessionStates {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<SessionState>>();
  private readonly rebuilds = new ConcurrencyLimit(PARALLEL_REBUILDS);
  private readonly stream: MessageStream;
  private readonly idleMs: number;
  private readonly chunkSize: number;
  private readonly sweeper: NodeJS.Timeout;
  private stopped = false;

  constructor(options: SessionStatesOptions) {
    this.stream = options.stream;
    this.idleMs = options.idleMs ?? 5 * 60_000;
    this.chunkSize = options.chunkSize ?? 512;
    this.sweeper = setInterval(() => this.evictIdle(), Math.max(1000, this.idleMs / 2));
    this.sweeper.unref();
  }

  /** The cached state, without loading. */
  peek(sid: string): SessionState | undefined {
    const entry = this.entries.get(sid);
    if (entry) entry.touched = Date.now();
    return entry?.state;
  }

  /**
   * The session's state: cached, or rebuilt from its history. With `before`, a rebuild folds only
   * the records at offsets below it (the state an event at that offset arrived in) and is not
   * cached; the caller stores the state after stepping the event.
   */
  async load(sid: string, before = Infinity): Promise<SessionState> {
    const cached = this.peek(sid);
    if (cached) return cached;
    if (before !== Infinity) return this.rebuild(sid, before);
    let pending = this.loading.get(sid);
    if (!pending) {
      pending = this.rebuild(sid, before).finally(() => this.loading.delete(sid));
      this.loading.set(sid, pending);
    }
    const state = await pending;
    const raced = this.peek(sid);
    if (raced) return raced;
    this.set(sid, state);
    return state;
  }

  /** Store a session's new state (after a step whose records are durable). */
  set(sid: string, state: SessionState): void {
    const entry = this.entries.get(sid);
    if (!entry) return void this.entries.set(sid, { state, touched: Date.now() });
    entry.state = state;
    entry.touched = Date.now();
  }

  /** Fold a record seen on the stream into a cached session (ignored when not cached or already folded). */
  applyRecord(stored: StoredRecord): void {
    const entry = this.entries.get(stored.record.sid);
    if (!entry || stored.offset <= entry.state.lastOffset) return;
    entry.state = fold(entry.state, stored);
  }

  /** Forget a session (it is rebuilt from the stream on next use). */
  delete(sid: string): void {
    this.entries.delete(sid);
  }

  /**
   * Live sessions by the flow version they run: cached (recently active) ones still waiting for
   * something. A conversation that has ended (or was reset) will not go on on any version.
   */
  versionCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const { state } of this.entries.values()) {
      if (state.flowHash !== undefined && !state.reset && isWaiting(state.pending)) counts.set(state.flowHash, (counts.get(state.flowHash) ?? 0) + 1);
    }
    return counts;
  }

  /** Cached sessions. */
  get size(): number {
    return this.entries.size;
  }

  /** Drop entries unused for `idleMs`. */
  evictIdle(now = Date.now()): void {
    for (const [sid, entry] of this.entries) {
      if (now - entry.touched >= this.idleMs) this.entries.delete(sid);
    }
  }

  /** Rebuilds running stop at their next chunk (rejecting): a shutdown doesn't wait for a long session's history. */
  stopLoading(): void {
    this.stopped = true;
  }

  /** Stop the eviction timer (and any rebuild). */
  close(): void {
    this.stopped = true;
    clearInterval(this.sweeper);
    this.entries.clear();
  }

  private rebuild(sid: string, before: number): Promise<SessionState> {
    return this.rebuilds.run(() => this.foldHistory(sid, before));
  }

  private async foldHistory(sid: string, before: number): Promise<SessionState> {
    let state = NEW_SESSION;
    for await (const chunk of this.stream.readSession(sid, { chunkSize: this.chunkSize })) {
      if (this.stopped) throw new Error(`session ${sid.slice(0, 8)}: rebuild stopped: the server is shutting down`);
      for (const stored of chunk) {
        if (stored.offset >= before) return state;
        state = fold(state, stored);
      }
      // Reads may complete synchronously: let other sessions' turns run between chunks of a long history.
      await yieldToEventLoop();
    }
    return state;
  }
}

/** One record into a session state. */
export function fold(state: SessionState, stored: StoredRecord): SessionState {
  const { payload, flowHash } = stored.record;
  // A start marker begins the session afresh (it comes first, or again when the session's
  // version was retired and it started over) and names the version it runs.
  if (!payload) return { pending: NEW_SESSION.pending, reset: state.reset, lastOffset: stored.offset, ...(typeof flowHash === 'string' ? { flowHash } : {}) };
  if (payload.kind === 'Response' && payload.message.kind === 'ResetSession') {
    return { ...state, reset: true, lastOffset: stored.offset };
  }
  return { ...state, pending: applyPayload(state.pending, payload), lastOffset: stored.offset };
}
