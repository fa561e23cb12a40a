/**
 * The conversation history of one stream: the session catalog (listing), transcripts (from the
 * per-session index) and coverage of a flow by the recorded sessions. The stream's records are the
 * only source; nothing else is stored.
 */
import type { MessageStream } from '../stream/messageStream.ts';
import { CoverageCalculator } from './computeCoverage.ts';
import type { Coverage, CoverageScope, SessionPage, SessionQuery, Transcript } from './historyTypes.ts';
import { querySessions } from './querySessions.ts';
import { readTranscript } from './readTranscript.ts';
import { SessionCatalog } from './SessionCatalog.ts';

export interface SessionHistory {
  /** One page of sessions, most recent activity first. Rejects with HistoryInputError on a bad filter. */
  listSessions(query: SessionQuery): Promise<SessionPage>;
  /** Every record of one session; HistoryInputError (404) for an unknown sid. */
  getTranscript(sid: string): Promise<Transcript>;
  /** Replays the sessions of `scope` (all, these sids, or a listing filter's) through the flow in `flowText` and counts states and edges. */
  getCoverage(flowText: string, scope: CoverageScope): Promise<Coverage>;
  /** Stops following the stream (the stream itself stays open). */
  close(): void;
}

/**
 * Starts indexing `stream` at once (one read of it, then following new records) and answers once
 * the index is current. The stream stays the caller's.
 */
export function openSessionHistory(stream: MessageStream): SessionHistory {
  const catalog = SessionCatalog.open(stream);
  const coverage = catalog.then((c) => new CoverageCalculator(c));
  // An indexing failure is reported to every caller, not as an unhandled rejection.
  catalog.catch(() => {});
  let closed = false;
  return {
    async listSessions(query) {
      return querySessions(await catalog, query);
    },
    async getTranscript(sid) {
      await catalog;
      return readTranscript(stream, sid);
    },
    async getCoverage(flowText, scope) {
      return (await coverage).compute(flowText, scope);
    },
    close() {
      if (closed) return;
      closed = true;
      void catalog.then((c) => c.close(), () => {});
    },
  };
}
