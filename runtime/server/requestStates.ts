/**
 * Which state sent each request of an engine step, so Request records can name it (`state`).
 * The engine collects a visited state's `sendRequest` when it is an object of a known kind; the
 * same rule here pairs each collected request with its state, in order.
 */
import type { CompiledFlow } from '../flow/compileFlow.ts';
import { isPlainObject } from '../flow/isPlainObject.ts';
import { REQUEST_KINDS } from '../flow/types.ts';

/** The names of the visited states that sent a request, in the order of the step's requests. */
export function requestStates(compiled: CompiledFlow, visited: readonly string[]): string[] {
  const senders: string[] = [];
  for (const name of visited) {
    const state: unknown = compiled.states.get(name);
    const request = isPlainObject(state) ? state.sendRequest : undefined;
    if (isPlainObject(request) && (REQUEST_KINDS as readonly unknown[]).includes(request.kind)) senders.push(name);
  }
  return senders;
}
