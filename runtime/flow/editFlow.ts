/**
 * Small immutable edits the studio's commands are made of. None mutates its input; states an edit
 * does not touch keep their identity (so React can skip them), and an edit that changes nothing
 * returns the same flow object.
 */
import { isPlainObject } from './isPlainObject.ts';
import type { Flow, NamedState, State } from './types.ts';

export type FlowEditResult = { ok: true; flow: Flow } | { ok: false; message: string };

/** Why `name` cannot be a new state's name in `flow`, or undefined when it can. */
export function newStateNameProblem(flow: Flow, name: string): string | undefined {
  if (name.trim() === '') return 'A state name cannot be empty.';
  if (indexOfState(flow, name) !== -1) return `A state named "${name}" already exists: choose another name.`;
  return undefined;
}

/** `base` if no state has that name, else `base2`, `base3`, … (the first free one). */
export function uniqueStateName(flow: Flow, base: string): string {
  const taken = new Set(flow.states.map((s) => s.name));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}${n}`)) return `${base}${n}`;
}

/**
 * Position of the state named `name`, or -1. When a name is duplicated (a validation error) it is
 * the last one, whose body the engine uses.
 */
export function indexOfState(flow: Flow, name: string): number {
  for (let i = flow.states.length - 1; i >= 0; i--) if (flow.states[i].name === name) return i;
  return -1;
}

/** Insert a state at `index` (default: the end). Refuses an empty or taken name. */
export function addState(flow: Flow, name: string, state: State = {}, index = flow.states.length): FlowEditResult {
  const problem = newStateNameProblem(flow, name);
  if (problem) return { ok: false, message: problem };
  const at = Math.max(0, Math.min(index, flow.states.length));
  return { ok: true, flow: { ...flow, states: [...flow.states.slice(0, at), { name, state }, ...flow.states.slice(at)] } };
}

export interface RemoveStatesResult {
  flow: Flow;
  /** names actually removed (names not in the flow are ignored) */
  removed: string[];
  /** remaining states whose `next` pointed at a removed state and was deleted */
  clearedNext: string[];
}

/** Remove states; any remaining `next` that pointed at one of them is deleted, and reported. */
export function removeStates(flow: Flow, names: Iterable<string>): RemoveStatesResult {
  const doomed = new Set(names);
  const removed: string[] = [];
  const clearedNext: string[] = [];
  const states: NamedState[] = [];
  for (const named of flow.states) {
    if (doomed.has(named.name)) {
      if (!removed.includes(named.name)) removed.push(named.name);
      continue;
    }
    const next = isPlainObject(named.state) ? named.state.next : undefined;
    if (typeof next === 'string' && doomed.has(next)) {
      const { next: _dropped, ...rest } = named.state;
      states.push({ ...named, state: rest });
      clearedNext.push(named.name);
    } else {
      states.push(named);
    }
  }
  return { flow: removed.length === 0 ? flow : { ...flow, states }, removed, clearedNext };
}

/** Make `name` the initial state by moving it to the top; the others keep their order. */
export function setStart(flow: Flow, name: string): FlowEditResult {
  const index = indexOfState(flow, name);
  if (index === -1) return { ok: false, message: `No state named "${name}".` };
  if (index === 0) return { ok: true, flow };
  const states = [...flow.states];
  const [moved] = states.splice(index, 1);
  return { ok: true, flow: { ...flow, states: [moved, ...states] } };
}

export interface DuplicateStatesResult {
  flow: Flow;
  /** each copy's name, by the original's name */
  copies: Map<string, string>;
}

/**
 * Copy states; each copy is inserted right after its original, named `<name>Copy` (or
 * `<name>Copy2`, …). A copy's `next` pointing at another copied state points at that copy, so a
 * duplicated group of states keeps its internal links; links out of the group are kept as they are.
 */
export function duplicateStates(flow: Flow, names: Iterable<string>): DuplicateStatesResult {
  const wanted = new Set(names);
  const copies = new Map<string, string>();
  const taken = new Set(flow.states.map((s) => s.name));
  for (const named of flow.states) {
    if (!wanted.has(named.name) || copies.has(named.name)) continue;
    let copyName = `${named.name}Copy`;
    for (let n = 2; taken.has(copyName); n++) copyName = `${named.name}Copy${n}`;
    taken.add(copyName);
    copies.set(named.name, copyName);
  }
  if (copies.size === 0) return { flow, copies };
  const states: NamedState[] = [];
  const copied = new Set<string>();
  for (const named of flow.states) {
    states.push(named);
    const copyName = copies.get(named.name);
    if (copyName === undefined || copied.has(named.name)) continue;
    copied.add(named.name);
    const state: State = structuredClone(named.state);
    if (isPlainObject(state) && typeof state.next === 'string' && copies.has(state.next)) state.next = copies.get(state.next);
    states.push({ name: copyName, state });
  }
  return { flow: { ...flow, states }, copies };
}

/** Replace a state's body, or compute it from the current one. Returns the same flow when the body is unchanged. */
export function updateState(flow: Flow, name: string, update: State | ((state: State) => State)): FlowEditResult {
  const index = indexOfState(flow, name);
  if (index === -1) return { ok: false, message: `No state named "${name}".` };
  const current = flow.states[index];
  const state = typeof update === 'function' ? update(current.state) : update;
  if (state === current.state) return { ok: true, flow };
  const states = [...flow.states];
  states[index] = { ...current, state };
  return { ok: true, flow: { ...flow, states } };
}
