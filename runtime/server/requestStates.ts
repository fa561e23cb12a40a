/**
 * Which state sent each request of an engine step, so Request records can name it (`state`).
 * The engine collects a visited state's `sendRequest` when it is an object of a known kind; the
 * same rule here pairs each collected request with its state, in order.
 */
import type { CompiledFlow } from '../flow/compileFlow.ts';
import { isPlainObject } from '../flow/isPlainObject.ts';
import { REQUEST_KINDS } from '../flow/types.ts';

/**
 * The senders of remembered steps' visited lists. A remembered step's list is frozen and belongs to
 * one compiled flow (flow/stepCache.ts), so its senders never change: they are found once.
 */
const sendersOf = new WeakMap<readonly string[], readonly string[]>();

/** The names of the visited states that sent a request, in the order of the step's requests. */
export function requestStates(compiled: CompiledFlow, visited: readonly string[]): readonly string[] {
  const known = sendersOf.get(visited);
  if (known) return known;
  const senders: string[] = [];
  for (const name of visited) {
    const state: unknown = compiled.states.get(name);
    const request = isPlainObject(state) ? state.sendRequest : undefined;
    if (isPlainObject(request) && (REQUEST_KINDS as readonly unknown[]).includes(request.kind)) senders.push(name);
  }
  if (Object.isFrozen(visited)) sendersOf.set(visited, Object.freeze(senders));
  return senders;
}
