/**
 * Replays a recorded session's steps through a flow (the current draft) with the engine, step by
 * step, and says where the draft would route differently from what was recorded. Pure: the studio
 * runs it for one session's replay, the history service for coverage over thousands.
 */
import type { CompiledFlow } from '../flow/compileFlow.ts';
import { choiceHandleId, CHAT_HANDLE } from '../flow/flowGraph.ts';
import { isPlainObject } from '../flow/isPlainObject.ts';
import { isId, looseKey } from '../flow/looseId.ts';
import { emptyPending, type PendingState } from '../flow/pendingState.ts';
import { stepSession, type StepEvent } from '../flow/stepSession.ts';
import { REQUEST_KINDS } from '../flow/types.ts';
import { isTaggedPrint, stepPrint } from './stepPrint.ts';

/** One recorded step: the event that started it and a print of what the runtime sent then. */
export interface RecordedStep {
  event:
    | { kind: 'start' }
    | { kind: 'response'; response: { kind: string; [field: string]: unknown } }
    | { kind: 'reset' }
    /** an operator handed the session back (issue 14) */
    | { kind: 'resume'; at?: string; end?: boolean };
  /** `stepPrint` of the step's recorded requests */
  print: number;
  /** the runtime sent at least one request in this step */
  sentRequests: boolean;
  /** the recorded states of the step's requests, when the records name them (for clearer labels) */
  states?: readonly string[];
}

/** An answer edge taken: from the state that asked, through a choice's handle, to the state that matched. */
export interface AnswerLink {
  source: string;
  handle: string;
  target: string;
}

export interface ReplayedStep {
  /** the engine accepted the step under the draft */
  ok: boolean;
  /** states passed through, in order (empty when not ok) */
  visited: string[];
  /** the answer edge the step came in by (responses only) */
  answer?: AnswerLink;
  /** why the draft routes this step differently from the recording; null when it routes the same */
  difference: string | null;
}

export interface ReplayResult {
  steps: ReplayedStep[];
  /** replay stopped here because the draft cannot take the step (index into steps), or null */
  stoppedAt: number | null;
  /** the replay ended with nothing pending */
  reachedEnd: boolean;
  /** the last state the replay reached (where the session ended or waits), or null */
  lastState: string | null;
}

/** Replay `steps` through `compiled`. Stops at a step the draft cannot take; a reset ends the session. */
export function replaySession(compiled: CompiledFlow, steps: readonly RecordedStep[]): ReplayResult {
  const result: ReplayedStep[] = [];
  let pending: PendingState = emptyPending();
  /** which state asked each pending question / opened each chat: looseKey(id) -> state */
  const askedBy = new Map<string, string>();
  const chatBy = new Map<string, string>();
  let lastState: string | null = null;
  let started = false;
  for (let i = 0; i < steps.length; i++) {
    const recorded = steps[i];
    const event = recorded.event;
    if (event.kind === 'reset') {
      result.push({ ok: true, visited: [], difference: null });
      return { steps: result, stoppedAt: null, reachedEnd: false, lastState };
    }
    // A release follows a handoff step or a takeover; a takeover's claim is no step, so its handoff is assumed here.
    if (event.kind === 'resume' && !pending.handoff) pending = { ...pending, handoff: { queue: null } };
    let step = stepSession(compiled, event.kind === 'start' ? emptyPending() : pending, event as StepEvent);
    if (event.kind === 'start' && step.ok && recorded.states?.length && step.visited[0] !== undefined) {
      // A preview may have started at a chosen state: start where the recording's first request came from.
      const first = recorded.states[0];
      if (stepPrint(sendersOf(compiled, step.visited), step.requests) !== recorded.print && compiled.states.has(first)) {
        const retry = stepSession(compiled, emptyPending(), { kind: 'start', at: first });
        if (retry.ok) step = retry;
      }
    }
    if (!step.ok) {
      if (!recorded.sentRequests && started) {
        // The runtime ignored this answer when it was recorded, and the draft ignores it too.
        result.push({ ok: false, visited: [], difference: null });
        continue;
      }
      result.push({ ok: false, visited: [], difference: step.message });
      return { steps: result, stoppedAt: i, reachedEnd: false, lastState };
    }
    started = true;
    const replayed: ReplayedStep = { ok: true, visited: step.visited, difference: null };
    if (event.kind === 'response' && step.resumedAt !== undefined) {
      const answer = answerLink(event.response, step.resumedAt, askedBy, chatBy);
      if (answer) replayed.answer = answer;
    }
    const senders = sendersOf(compiled, step.visited);
    const print = stepPrint(isTaggedPrint(recorded.print) ? senders : [], step.requests);
    if (print !== recorded.print) replayed.difference = describeDifference(recorded, senders, step.requests.length);
    for (const name of senders) {
      const request = requestOf(compiled, name);
      if (request?.kind === 'ChoiceRequest' && isId(request.groupId)) askedBy.set(looseKey(request.groupId), name);
      if (request?.kind === 'StartChatSession' && isId(request.sessionId)) chatBy.set(looseKey(request.sessionId), name);
    }
    pending = step.pending;
    lastState = step.visited[step.visited.length - 1] ?? lastState;
    result.push(replayed);
  }
  const reachedEnd = started && pending.choiceGroups.length === 0 && pending.chatSessions.length === 0;
  return { steps: result, stoppedAt: null, reachedEnd, lastState };
}

/** The visited states that sent a request, in order (the engine's rule: an object of a known kind). */
export function sendersOf(compiled: CompiledFlow, visited: readonly string[]): string[] {
  return visited.filter((name) => requestOf(compiled, name) !== undefined);
}

function requestOf(compiled: CompiledFlow, name: string): Record<string, unknown> | undefined {
  const state: unknown = compiled.states.get(name);
  const request = isPlainObject(state) ? state.sendRequest : undefined;
  return isPlainObject(request) && (REQUEST_KINDS as readonly unknown[]).includes(request.kind) ? request : undefined;
}

function answerLink(response: Record<string, unknown>, target: string, askedBy: Map<string, string>, chatBy: Map<string, string>): AnswerLink | undefined {
  if (response.kind === 'ChoiceResponse' && isId(response.groupId) && isId(response.itemId)) {
    const source = askedBy.get(looseKey(response.groupId));
    return source === undefined ? undefined : { source, handle: choiceHandleId(response.itemId), target };
  }
  if (response.kind === 'UserText' && isId(response.sessionId)) {
    const source = chatBy.get(looseKey(response.sessionId));
    return source === undefined ? undefined : { source, handle: CHAT_HANDLE, target };
  }
  return undefined;
}

function describeDifference(recorded: RecordedStep, senders: readonly string[], requestCount: number): string {
  if (isTaggedPrint(recorded.print)) {
    const now = senders.join(' → ') || 'nothing';
    if (!recorded.states) return `The draft sends from ${now}, not from the states the recording names (renamed or rerouted).`;
    return `The draft sends from ${now} where the recording sent from ${recorded.states.join(' → ') || 'nothing'}.`;
  }
  return `The draft sends ${requestCount === 0 ? 'nothing' : 'different messages'} where the recording sent other ones.`;
}
