/**
 * What a session is waiting for, derived from its messages alone (no flow needed), so any process
 * can rebuild it from the stream history after a restart. Pure and serializable.
 */
import { OPERATOR_PAYLOAD, type Handoff } from './handoff.ts';
import { isPlainObject } from './isPlainObject.ts';
import { isId, looseEquals } from './looseId.ts';
import type { Id } from './types.ts';

export interface PendingState {
  /** groupIds of ChoiceRequests sent and not answered yet, oldest first */
  choiceGroups: Id[];
  /** sessionIds of chats opened by StartChatSession and not closed by EndChatSession, oldest first */
  chatSessions: Id[];
  /** set while a person, not the flow, answers the visitor ("Talk to a person", or a takeover) */
  handoff?: Handoff;
}

/**
 * One stream payload: `{ kind: 'Request', message }` sent to the user or `{ kind: 'Response', message }`
 * from the user (structurally the stream's `Payload`; `runtime/flow` does not import the stream).
 */
export interface FlowPayload {
  kind: string;
  message?: unknown;
}

/** The pending state of a session that has exchanged no message yet. */
export function emptyPending(): PendingState {
  return { choiceGroups: [], chatSessions: [] };
}

/** Whether the session waits for anything: an answer, typed text, or a person. One that waits for nothing has ended. */
export function isWaiting(pending: PendingState): boolean {
  return pending.choiceGroups.length > 0 || pending.chatSessions.length > 0 || pending.handoff !== undefined;
}

/**
 * Fold one payload into a pending state. Returns a new object when something changed, the same
 * object otherwise; never mutates. Ids compare loosely (`==`).
 * - Request ChoiceRequest: its group becomes pending (once; sent again, it moves to the end).
 * - Request StartChatSession / EndChatSession: opens / closes that chat.
 * - Response ChoiceResponse: its group is answered (no longer pending).
 * - Request OperatorHandoff / Operator OperatorClaim: a person answers from now on (a claim
 *   without a handoff is a takeover). Operator OperatorRelease: the flow answers again.
 * - Response UserText, BotText, anything malformed or unknown: no change.
 */
export function applyPayload(pending: PendingState, payload: FlowPayload): PendingState {
  const message: unknown = isPlainObject(payload) ? payload.message : undefined;
  if (!isPlainObject(message)) return pending;
  if (payload.kind === 'Request') {
    if (message.kind === 'ChoiceRequest' && isId(message.groupId)) {
      return { ...pending, choiceGroups: [...without(pending.choiceGroups, message.groupId), message.groupId] };
    }
    if (message.kind === 'StartChatSession' && isId(message.sessionId)) {
      return { ...pending, chatSessions: [...without(pending.chatSessions, message.sessionId), message.sessionId] };
    }
    if (message.kind === 'EndChatSession' && isId(message.sessionId) && includesLoose(pending.chatSessions, message.sessionId)) {
      return { ...pending, chatSessions: without(pending.chatSessions, message.sessionId) };
    }
    if (message.kind === 'OperatorHandoff' && typeof message.queue === 'string') return { ...pending, handoff: { queue: message.queue } };
  } else if (payload.kind === 'Response') {
    if (message.kind === 'ChoiceResponse' && isId(message.groupId) && includesLoose(pending.choiceGroups, message.groupId)) {
      return { ...pending, choiceGroups: without(pending.choiceGroups, message.groupId) };
    }
  } else if (payload.kind === OPERATOR_PAYLOAD) {
    if (message.kind === 'OperatorClaim' && !pending.handoff) return { ...pending, handoff: { queue: null } };
    if (message.kind === 'OperatorRelease' && pending.handoff) return withoutHandoff(pending);
  }
  return pending;
}

/** Is a value `==` to `id` in the list? */
export function includesLoose(ids: readonly Id[], id: Id): boolean {
  return ids.some((candidate) => looseEquals(candidate, id));
}

/** The pending state with the handoff over (the field is left out, not set to undefined). */
export function withoutHandoff(pending: PendingState): PendingState {
  const { handoff: _over, ...rest } = pending;
  return rest;
}

/** The ids other than `id` (the same array when `id` is not among them: most steps change nothing here). */
function without(ids: Id[], id: Id): Id[] {
  return includesLoose(ids, id) ? ids.filter((candidate) => !looseEquals(candidate, id)) : ids;
}
