/**
 * Builds the indexes the engine and the graph need, once per flow: states by name and the
 * response matchers by id, so a step costs only the states it visits. Pure; never throws on a
 * malformed flow (entries with bad shapes are left out of the indexes).
 */
import { isPlainObject } from './isPlainObject.ts';
import { choiceKey, push } from './idBuckets.ts';
import { isId, looseEquals, looseKey } from './looseId.ts';
import type { Flow, Id, State } from './types.ts';

/** A state whose `matchResponse` is a well-formed ChoiceResponse. */
export interface ChoiceMatcher {
  state: string;
  groupId: Id;
  itemId: Id;
}

/** A state whose `matchResponse` is a well-formed UserText. */
export interface TextMatcher {
  state: string;
  sessionId: Id;
}

export interface CompiledFlow {
  readonly flow: Flow;
  /** The first state's name; undefined for a flow without states. */
  readonly initial: string | undefined;
  /**
   * States by name, in file order. A duplicated name keeps its first position and its last body,
   * as `JSON.parse` did for the original server (the validator reports duplicates).
   */
  readonly states: ReadonlyMap<string, State>;
  /** Matchers bucketed by `choiceKey(groupId, itemId)`, in file order; buckets need a `==` filter. */
  readonly choiceMatchers: ReadonlyMap<string, readonly ChoiceMatcher[]>;
  /** Matchers bucketed by `looseKey(sessionId)`, in file order; buckets need a `==` filter. */
  readonly textMatchers: ReadonlyMap<string, readonly TextMatcher[]>;
}

/** Compile a flow's indexes. Linear in the number of states. */
export function compileFlow(flow: Flow): CompiledFlow {
  const states = new Map<string, State>();
  for (const named of Array.isArray(flow?.states) ? flow.states : []) {
    if (!isPlainObject(named) || typeof named.name !== 'string') continue;
    states.set(named.name, named.state);
  }
  const choiceMatchers = new Map<string, ChoiceMatcher[]>();
  const textMatchers = new Map<string, TextMatcher[]>();
  for (const [name, state] of states) {
    const match: unknown = isPlainObject(state) ? state.matchResponse : undefined;
    if (!isPlainObject(match)) continue;
    if (match.kind === 'ChoiceResponse' && isId(match.groupId) && isId(match.itemId)) {
      push(choiceMatchers, choiceKey(match.groupId, match.itemId), { state: name, groupId: match.groupId, itemId: match.itemId });
    } else if (match.kind === 'UserText' && isId(match.sessionId)) {
      push(textMatchers, looseKey(match.sessionId), { state: name, sessionId: match.sessionId });
    }
  }
  const first = states.keys().next();
  return { flow, initial: first.done ? undefined : first.value, states, choiceMatchers, textMatchers };
}

/** Every state matching a choice (`==` on both ids), in file order. */
export function choiceMatchersFor(compiled: CompiledFlow, groupId: Id, itemId: Id): ChoiceMatcher[] {
  const bucket = compiled.choiceMatchers.get(choiceKey(groupId, itemId)) ?? [];
  return bucket.filter((m) => looseEquals(m.groupId, groupId) && looseEquals(m.itemId, itemId));
}

/** The first state (in file order) matching a choice, as the engine resumes there. */
export function choiceMatcherFor(compiled: CompiledFlow, groupId: Id, itemId: Id): ChoiceMatcher | undefined {
  return compiled.choiceMatchers.get(choiceKey(groupId, itemId))?.find((m) => looseEquals(m.groupId, groupId) && looseEquals(m.itemId, itemId));
}

/** Every state matching user text in a chat session (`==`), in file order. */
export function textMatchersFor(compiled: CompiledFlow, sessionId: Id): TextMatcher[] {
  const bucket = compiled.textMatchers.get(looseKey(sessionId)) ?? [];
  return bucket.filter((m) => looseEquals(m.sessionId, sessionId));
}

/** The first state (in file order) matching user text in a chat session. */
export function textMatcherFor(compiled: CompiledFlow, sessionId: Id): TextMatcher | undefined {
  return compiled.textMatchers.get(looseKey(sessionId))?.find((m) => looseEquals(m.sessionId, sessionId));
}
