/**
 * What the session history and the live preview report (the host API, the desktop bridge and the
 * studio share these shapes). Pure types, serializable: they cross HTTP and IPC.
 */
import type { RequestMessage } from '../flow/types.ts';

/** Preview sessions come from the studio's preview pane; real ones from the widget on a site. */
export type SessionKind = 'preview' | 'real';

/** One recorded session as the catalog knows it (no records are read to list it). */
export interface SessionInfo {
  sid: string;
  /** timestamp of its first record ("2021-01-05T17:58:46.511", local time like the records) */
  started: string;
  /** timestamp of its last record */
  lastActivity: string;
  /** Request and Response records (the start marker does not count) */
  messages: number;
  kind: SessionKind;
  /** hash of the flow the session started on; null for records older than the tag */
  flowHash: string | null;
  /**
   * the flow file the session ran: its start record's `flow` tag, or for a session without one
   * (real sessions, older records) the file a tagged session with the same flowHash ran; null when unknown
   */
  flow: string | null;
  /** the state that sent the last request: where it ended, or where it waits. Null when unknown. */
  state: string | null;
  /** the last request as recorded (what the bot said there, in the version the session ran); null before any */
  request: RequestMessage | null;
  /** the last step left nothing pending and the user did not reset: the conversation reached its end */
  endedAtFinal: boolean;
  /** a question or a chat box is still waiting for the user */
  waiting: boolean;
  /** the user restarted the conversation (the widget's reset) */
  reset: boolean;
}

/** A listing request. Every field is optional; `cursor` comes from the previous page. */
export interface SessionQuery {
  /**
   * case-insensitive text found in the sid, the state name, the start of the flow hash, or what the
   * user typed or picked (the first 2,048 characters of each session's answers)
   */
  query?: string;
  /** sessions active on or after this time (a date "2024-05-01" or a timestamp) */
  from?: string;
  /** sessions started on or before this time (a date counts as the whole day) */
  to?: string;
  kind?: SessionKind;
  /** only the sessions of this flow file (`SessionInfo.flow`) */
  flow?: string;
  cursor?: string;
  /** page size, 1..500, default 50 */
  limit?: number;
}

/** The filter part of a listing request: which sessions, without paging. */
export type SessionFilter = Pick<SessionQuery, 'query' | 'from' | 'to' | 'kind' | 'flow'>;

/** The filter fields, for the checks at the API's doors. */
export const SESSION_FILTER_FIELDS = ['query', 'from', 'to', 'kind', 'flow'] as const;

/** The sessions a coverage counts: every one, these sids, or those a listing filter matches. */
export type CoverageScope = 'all' | readonly string[] | { filter: SessionFilter };

/** One page of sessions, most recent activity first. */
export interface SessionPage {
  sessions: SessionInfo[];
  /** sessions matching the filter, on every page */
  total: number;
  /** pass as `cursor` for the next page; null on the last page */
  nextCursor: string | null;
}

/** One record of a transcript, as the widget saw it (plus what the studio needs to replay it). */
export interface TranscriptEntry {
  offset: number;
  timestamp: string;
  /** start: the session's start marker; request: the bot; response: the user; reset: the user restarted; operator: a person (issue 14) */
  kind: 'start' | 'request' | 'response' | 'reset' | 'operator';
  /** the request or response message as recorded (absent for start markers) */
  message?: RequestMessage | { kind: string; [field: string]: unknown };
  /** requests: the state that sent it, when the record names it */
  state?: string;
  /** responses: the state whose matchResponse took it, when the record names it */
  resumedAt?: string;
}

export interface Transcript {
  sid: string;
  kind: SessionKind;
  flowHash: string | null;
  /** the start record's `flow` tag (the flow file's name), null when it has none */
  flow: string | null;
  entries: TranscriptEntry[];
}

/** Sessions counted on one state of the flow. */
export interface StateCoverage {
  state: string;
  /** sessions that passed through it */
  passed: number;
  /** sessions that stopped here without reaching the end (they wait here, or left) */
  droppedOff: number;
}

/** Sessions counted on one edge of the canvas (ids as `flowToGraph` makes them). */
export interface EdgeCoverage {
  id: string;
  source: string;
  target: string;
  count: number;
}

/** A session the current draft would route differently from what was recorded. */
export interface RoutingDifference {
  sid: string;
  /** 0-based step (the start is step 0, each answer one more) */
  step: number;
  reason: string;
}

/** How the selected sessions go through a flow when replayed on it. */
export interface Coverage {
  flowHash: string;
  sessions: number;
  /** sessions that reached the end (nothing left pending) */
  reachedEnd: number;
  /** every state of the flow, in file order */
  states: StateCoverage[];
  /** every edge some session took */
  edges: EdgeCoverage[];
  /** states no session passed through, in file order */
  neverVisited: string[];
  /** how many sessions the draft routes differently, and the first few of them */
  differingCount: number;
  differing: RoutingDifference[];
}

/** One durable step of a preview session, as the runtime reports it to the studio (the live counterpart of a recorded step). */
export interface PreviewStep {
  sid: string;
  event: 'start' | 'response' | 'reset';
  /** states passed through, in order */
  visited: string[];
  /** states whose ChoiceRequest or StartChatSession waits for the user */
  waiting: string[];
  /** the state whose matchResponse took the user's answer */
  resumedAt?: string;
  /** flowHash of the draft that ran the step */
  flowHash: string | null;
}
