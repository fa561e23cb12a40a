/**
 * A turn is one event of one session made durable: the session service hands events to a
 * `TurnPort` and shows the records it gets back. Two ports exist: the workflow in process
 * (`all` role) and the stream alone (`proxy` role, where another process answers).
 */
import type { OperatorRelease } from '../flow/handoff.ts';
import type { ChoiceResponse, UserText } from '../flow/types.ts';
import type { MessageStream, StoredRecord, StreamRecord } from '../stream/messageStream.ts';
import { describeError } from '../describeError.ts';
import type { Logger } from './logger.ts';

/** `at` starts a new session at that state instead of the initial one (studio previews). */
export type TurnEvent =
  | { kind: 'start'; at?: string }
  | { kind: 'response'; message: ChoiceResponse | UserText }
  | { kind: 'reset' }
  /** an operator hands the session back to the flow (issue 14); the release is the turn's first record */
  | { kind: 'resume'; release: OperatorRelease };

/** The records now durable for the turn, in stream order, or why nothing was recorded. */
export type TurnResult = { ok: true; records: StoredRecord[] } | TurnRefusal;

/** Why a turn recorded nothing, with an error code for the widget. */
export interface TurnRefusal {
  ok: false;
  code: string;
  message: string;
}

export interface TurnPort {
  /**
   * Run one event; the caller serializes the turns of a session. `opening` is the session's
   * unrecorded start (from `open`): it is appended first, in the same batch as the event.
   */
  turn(sid: string, event: TurnEvent, opening?: StreamRecord[]): Promise<TurnResult>;
  /**
   * A new session's start marker and first requests, computed but not appended: the session
   * service shows them and hands them back to `turn` with the session's first answer, so a
   * handshake that never answers writes nothing. Absent (the `proxy` role, where another process
   * answers the start marker): starts are appended at once.
   */
  open?(sid: string, event: Extract<TurnEvent, { kind: 'start' }>): TurnOpening;
}

/**
 * A new session's first records, not yet durable, or why it cannot start. `recordNow`: the
 * opening hands the visitor to a person, who learns of it from the stream, so it cannot wait for
 * an answer to be recorded (the visitor answers nothing while waiting for someone).
 */
export type TurnOpening = { ok: true; records: StreamRecord[]; recordNow: boolean } | TurnRefusal;

/**
 * Append records; a failing stream becomes a `stream-unavailable` result (logged), never a
 * rejection. `whenDurable` is told the stored records before the result settles (one reaction a
 * turn instead of a promise chained after this one).
 */
export function appendRecords(stream: MessageStream, records: StreamRecord[], logger: Logger, whenDurable?: (stored: StoredRecord[]) => void): Promise<TurnResult> {
  if (records.length === 0) return Promise.resolve({ ok: true, records: [] });
  let appended: Promise<number[]>;
  try {
    appended = stream.append(records);
  } catch (error) {
    appended = Promise.reject(error);
  }
  return appended.then(
    (offsets): TurnResult => {
      const stored = records.map((record, i) => ({ offset: offsets[i], record }));
      whenDurable?.(stored);
      return { ok: true, records: stored };
    },
    (error: unknown): TurnResult => {
      logger.error(`stream append failed: ${describeError(error)}`);
      return STREAM_UNAVAILABLE;
    },
  );
}

const STREAM_UNAVAILABLE: TurnRefusal = { ok: false, code: 'stream-unavailable', message: 'The message store is unavailable: try again in a moment.' };

export const NO_FLOW: TurnRefusal = { ok: false, code: 'no-flow', message: 'No flow is loaded on this server yet.' };

export const SESSION_WAS_RESET: TurnRefusal = { ok: false, code: 'session-reset', message: 'This session was reset: reconnect to start a new one.' };
