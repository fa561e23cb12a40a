/**
 * Contract 2 in the design note: topic `bot-assist-messages`, key = session id, value = the
 * article's record `{sid, payload?, timestamp}` as JSON. Implementations: embedded durable log
 * (default) and Fluvio. One contract test suite runs against every backend.
 */
import type { RequestMessage } from '../flow/types.ts';

export const TOPIC = 'bot-assist-messages';

export type Payload =
  | { kind: 'Request'; message: RequestMessage }
  /** a user response as the widget sent it (ChoiceResponse, UserText, ResetSession, ...) */
  | { kind: 'Response'; message: { kind: string; [field: string]: unknown } }
  /** an operator's claim, message or release ("Talk to a person", runtime/flow/handoff.ts); the article's consumers ignore it */
  | { kind: 'Operator'; message: { kind: string; [field: string]: unknown } };

/** The stream record. A record without payload marks the start of a session. Extra fields are allowed and kept. */
export interface StreamRecord {
  sid: string;
  payload?: Payload;
  /** local time, ISO without zone, like the article: "2021-01-05T17:58:46.511" */
  timestamp: string;
  [extra: string]: unknown;
}

export interface StoredRecord {
  /** position in the stream (0-based, increasing) */
  offset: number;
  record: StreamRecord;
}

/** A session as the per-session index knows it (no records are read to produce it). */
export interface SessionSummary {
  sid: string;
  /** how many records the session has */
  count: number;
  firstOffset: number;
  lastOffset: number;
  /** the `timestamp` of the session's first and last records */
  firstTimestamp: string;
  lastTimestamp: string;
}

/** What a stream backend logs to (structurally the runtime's Logger). */
export interface StreamLogger {
  info(message: string): void;
  warn(message: string): void;
}

export interface MessageStream {
  /** Resolves once every record is durable (embedded: fsynced; Fluvio: acknowledged). Returns their offsets. */
  append(records: StreamRecord[]): Promise<number[]>;
  /** Is there any record for this session? From the per-session index, no scan. */
  hasSession(sid: string): boolean;
  /** A session's records in order, in chunks, from the per-session index (never a scan of the whole stream). */
  readSession(sid: string, options?: { chunkSize?: number }): AsyncIterable<StoredRecord[]>;
  /** Records from `offset` on (at most `limit`), for consumers. */
  read(offset: number, limit: number): Promise<StoredRecord[]>;
  /** Offset the next appended record will get. */
  endOffset(): number;
  /** Called for every record appended from now on (by this or, for Fluvio, any process). Returns unsubscribe. */
  subscribe(listener: (records: StoredRecord[]) => void): () => void;
  /** Every session with its summary, from the per-session index (for the history panel). */
  sessions(): Iterable<SessionSummary>;
  /** Flush and close. */
  close(): Promise<void>;
  /**
   * Optional: resolves when the backend takes a write right now, rejects with the reason otherwise.
   * Health checks call it after an append failed, to see writes work again before traffic returns.
   */
  probeWrite?(): Promise<void>;
}
