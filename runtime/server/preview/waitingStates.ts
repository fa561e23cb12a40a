/**
 * The states a session is waiting at after a step: those whose ChoiceRequest or StartChatSession
 * is still pending. A pending id is pinned to the last visited state that sent it; an id sent by
 * an earlier step falls back to the first state in the flow that sends it.
 */
import type { CompiledFlow } from '../../flow/compileFlow.ts';
import { isPlainObject } from '../../flow/isPlainObject.ts';
import { includesLoose, type PendingState } from '../../flow/pendingState.ts';
import { looseEquals } from '../../flow/looseId.ts';
import type { Id } from '../../flow/types.ts';

export function waitingStates(compiled: CompiledFlow, visited: readonly string[], pending: PendingState): string[] {
  const waiting: string[] = [];
  const pin = (kind: string, field: 'groupId' | 'sessionId', id: Id) => {
    const name = [...visited].reverse().find((n) => sends(compiled, n, kind, field, id))
      ?? [...compiled.states.keys()].find((n) => sends(compiled, n, kind, field, id));
    if (name !== undefined && !waiting.includes(name)) waiting.push(name);
  };
  for (const groupId of pending.choiceGroups) pin('ChoiceRequest', 'groupId', groupId);
  for (const sessionId of pending.chatSessions) pin('StartChatSession', 'sessionId', sessionId);
  return waiting;
}

/**
 * Can a session waiting for these answers carry on under this flow? Every pending question must
 * still be asked by some state and answered by some matchResponse, and every open chat too.
 */
export function pendingStillAnswerable(compiled: CompiledFlow, pending: PendingState): boolean {
  const states = [...compiled.states.keys()];
  const groupsAnswered = pending.choiceGroups.every((groupId) =>
    states.some((n) => sends(compiled, n, 'ChoiceRequest', 'groupId', groupId)) &&
    [...compiled.choiceMatchers.values()].some((bucket) => bucket.some((m) => looseEquals(m.groupId, groupId))),
  );
  const chatsAnswered = pending.chatSessions.every((sessionId) =>
    states.some((n) => sends(compiled, n, 'StartChatSession', 'sessionId', sessionId)) &&
    [...compiled.textMatchers.values()].some((bucket) => includesLoose(bucket.map((m) => m.sessionId), sessionId)),
  );
  return groupsAnswered && chatsAnswered;
}

function sends(compiled: CompiledFlow, name: string, kind: string, field: 'groupId' | 'sessionId', id: Id): boolean {
  const state: unknown = compiled.states.get(name);
  const request = isPlainObject(state) ? state.sendRequest : undefined;
  if (!isPlainObject(request) || request.kind !== kind) return false;
  const value = request[field];
  return (typeof value === 'string' || typeof value === 'number') && looseEquals(value, id);
}
