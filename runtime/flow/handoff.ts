/**
 * "Talk to a person": the messages operators add to a session's stream, and what they mean for
 * the flow. They travel as `{ kind: 'Operator', message }` payloads (the article's consumers look
 * at `Request` and `Response` payloads only, so they ignore them). Pure.
 *
 * - OperatorClaim: an operator takes the conversation (from the queue, or any live one: a takeover).
 * - OperatorText: what the operator says to the visitor.
 * - OperatorUnclaim: the operator let go without ending the handoff (console gone): back to the queue.
 * - OperatorRelease: the handoff is over; the flow resumes at `resumeAt`, ends (`end`), or goes on
 *   waiting for what it waited for before (neither). `reason: 'timeout'` when nobody claimed it in time.
 */

/** The payload kind of operator records on the stream. */
export const OPERATOR_PAYLOAD = 'Operator';

/** Wait for an operator this long when the flow does not say (seconds). */
export const DEFAULT_HANDOFF_TIMEOUT_SECONDS = 120;

export interface OperatorClaim {
  kind: 'OperatorClaim';
  /** the operator's account id */
  operator: string;
  /** the name the visitor sees */
  name: string;
}

export interface OperatorText {
  kind: 'OperatorText';
  operator: string;
  name: string;
  content: string;
}

export interface OperatorUnclaim {
  kind: 'OperatorUnclaim';
  operator: string;
  name: string;
  reason: 'disconnect' | 'unclaim';
}

export interface OperatorRelease {
  kind: 'OperatorRelease';
  reason: 'released' | 'timeout';
  operator?: string;
  name?: string;
  /** the state the flow goes on from */
  resumeAt?: string;
  /** end the conversation instead */
  end?: true;
}

export type OperatorMessage = OperatorClaim | OperatorText | OperatorUnclaim | OperatorRelease;

/** A session's handoff, as its messages show it (kept in its pending state). */
export interface Handoff {
  /** the queue of the OperatorHandoff step; null for a takeover without one */
  queue: string | null;
}
