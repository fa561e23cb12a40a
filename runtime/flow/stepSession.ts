/**
 * The engine step: one event (a new session, or a response from the widget) in, the requests to
 * send out. Pure: it does no IO and changes nothing; the caller sends the requests and keeps the
 * new pending state (or the old one when the step failed).
 */
import { choiceMatcherFor, textMatcherFor, type CompiledFlow } from './compileFlow.ts';
import { isPlainObject } from './isPlainObject.ts';
import { isId } from './looseId.ts';
import { applyPayload, includesLoose, withoutHandoff, type PendingState } from './pendingState.ts';
import { REQUEST_KINDS, type RequestMessage, type ResponseMessage } from './types.ts';

export type StepEvent =
  /** A new session. `at` starts at that state instead of the initial one (the studio's preview). */
  | { kind: 'start'; at?: string }
  /** What the widget sent (anything: it is checked here). */
  | { kind: 'response'; response: ResponseMessage | { kind: string; [field: string]: unknown } }
  /**
   * A person hands the conversation back (an OperatorRelease): go on from state `at`, or `end` the
   * conversation (open chats are closed), or neither: wait for what the session waited for before.
   */
  | { kind: 'resume'; at?: string; end?: boolean };

export type StepErrorCode = 'unknown-kind' | 'bad-response' | 'not-pending' | 'no-match' | 'missing-state' | 'loop';

export type StepResult =
  | {
      ok: true;
      /** the flow's request objects, in the order to send them */
      requests: RequestMessage[];
      /** the states passed through, in order */
      visited: string[];
      /** the state whose matchResponse answered the response (response events only) */
      resumedAt?: string;
      /** the pending state after the response and every request */
      pending: PendingState;
    }
  | { ok: false; code: StepErrorCode; message: string };

/**
 * Run one step. For a response, the first state in file order whose matchResponse equals it
 * (`==` on ids, like the original server) is where the flow resumes; the response must answer a
 * pending ChoiceRequest or an open chat. From there (or from the start state) `next` is followed,
 * collecting every well-formed `sendRequest`, until a state without `next`.
 *
 * The new pending state is `applyPayload` of the response, then of each request, onto `pending`
 * (pass `emptyPending()` for a new session). A chain that comes back to a state it already passed
 * would never end: it fails with `loop` as soon as the repeat is seen, so the cost is bounded by
 * the number of distinct states.
 */
export function stepSession(compiled: CompiledFlow, pending: PendingState, event: StepEvent): StepResult {
  if (event.kind === 'start') {
    const at = event.at ?? compiled.initial;
    if (at === undefined) return fail('missing-state', 'The flow has no states: add one to start from.');
    if (!compiled.states.has(at)) return fail('missing-state', `Cannot start at "${at}": no state has that name.`);
    return chain(compiled, pending, at, undefined);
  }
  if (event.kind === 'resume') return resume(compiled, pending, event);
  const response: unknown = event.response;
  if (!isPlainObject(response)) return fail('bad-response', 'A response must be an object with a "kind".');
  // While a person has the conversation, the visitor's messages are theirs: recorded, not answered.
  if (pending.handoff && (response.kind === 'UserText' || response.kind === 'ChoiceResponse')) {
    return { ok: true, requests: [], visited: [], pending };
  }
  if (response.kind === 'ChoiceResponse') {
    const { groupId, itemId } = response;
    if (!isId(groupId) || !isId(itemId)) {
      return fail('bad-response', `A ChoiceResponse needs a string or number "groupId" and "itemId" (got ${describe(groupId)} and ${describe(itemId)}).`);
    }
    if (!includesLoose(pending.choiceGroups, groupId)) {
      return fail('not-pending', `No question with groupId ${describe(groupId)} is waiting for an answer.`);
    }
    const match = choiceMatcherFor(compiled, groupId, itemId);
    if (!match) {
      return fail('no-match', `No state has a matchResponse for groupId ${describe(groupId)}, itemId ${describe(itemId)}.`);
    }
    return chain(compiled, applyPayload(pending, { kind: 'Response', message: response }), match.state, match.state);
  }
  if (response.kind === 'UserText') {
    const { sessionId } = response;
    if (!isId(sessionId)) return fail('bad-response', `A UserText needs a string or number "sessionId" (got ${describe(sessionId)}).`);
    if (!includesLoose(pending.chatSessions, sessionId)) {
      return fail('not-pending', `No chat with sessionId ${describe(sessionId)} is open.`);
    }
    const match = textMatcherFor(compiled, sessionId);
    if (!match) return fail('no-match', `No state has a UserText matchResponse for sessionId ${describe(sessionId)}.`);
    return chain(compiled, applyPayload(pending, { kind: 'Response', message: response }), match.state, match.state);
  }
  return fail('unknown-kind', `Unknown response kind ${describe(response.kind)}: expected "ChoiceResponse" or "UserText".`);
}

function chain(compiled: CompiledFlow, pending: PendingState, from: string, resumedAt: string | undefined): StepResult {
  const requests: RequestMessage[] = [];
  const visited: string[] = [];
  const seen = new Set<string>();
  let name = from;
  for (;;) {
    if (seen.has(name)) {
      const cycle = [...visited.slice(visited.indexOf(name)), name].join(' → ');
      return fail('loop', `The states loop forever (${cycle}) without reaching a state without "next".`);
    }
    seen.add(name);
    visited.push(name);
    const state: unknown = compiled.states.get(name);
    const body = isPlainObject(state) ? state : {};
    if (isRequest(body.sendRequest)) {
      requests.push(body.sendRequest);
      pending = applyPayload(pending, { kind: 'Request', message: body.sendRequest });
      // "Talk to a person" waits: its next is the fallback, taken when no operator claims the session.
      if (body.sendRequest.kind === 'OperatorHandoff') break;
    }
    const next = body.next;
    if (next === undefined) break;
    if (typeof next !== 'string') return fail('missing-state', `State "${name}" has a "next" that is not a state name (${describe(next)}).`);
    if (!compiled.states.has(next)) return fail('missing-state', `State "${name}" goes next to "${next}", but no state has that name.`);
    name = next;
  }
  return resumedAt === undefined ? { ok: true, requests, visited, pending } : { ok: true, requests, visited, resumedAt, pending };
}

function resume(compiled: CompiledFlow, pending: PendingState, event: { at?: string; end?: boolean }): StepResult {
  if (!pending.handoff) return fail('not-pending', 'This conversation is not with a person: there is nothing to hand back.');
  const after = withoutHandoff(pending);
  if (event.end) {
    const requests: RequestMessage[] = after.chatSessions.map((sessionId) => ({ kind: 'EndChatSession', sessionId }));
    return { ok: true, requests, visited: [], pending: { ...after, choiceGroups: [], chatSessions: [] } };
  }
  if (event.at === undefined) return { ok: true, requests: [], visited: [], pending: after };
  if (!compiled.states.has(event.at)) return fail('missing-state', `Cannot resume at "${event.at}": no state has that name.`);
  return chain(compiled, after, event.at, undefined);
}

/** A request the widget can act on: an object with a known kind (its fields are passed as the flow has them). */
function isRequest(value: unknown): value is RequestMessage {
  return isPlainObject(value) && (REQUEST_KINDS as readonly unknown[]).includes(value.kind);
}

function fail(code: StepErrorCode, message: string): StepResult {
  return { ok: false, code, message };
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}
