/** Rename a state and every `next` that names it. Pure and immutable. */
import { indexOfState, newStateNameProblem, type FlowEditResult } from './editFlow.ts';
import { isPlainObject } from './isPlainObject.ts';
import type { Flow, NamedState } from './types.ts';

/**
 * Rename state `from` to `to`, updating every `next` that points to it (key order inside each
 * state is kept). Refuses a missing `from` and an empty or taken `to`. States that neither are
 * renamed nor point to `from` keep their identity. Renaming to the same name returns the same flow.
 */
export function renameState(flow: Flow, from: string, to: string): FlowEditResult {
  if (indexOfState(flow, from) === -1) return { ok: false, message: `Cannot rename "${from}": no state has that name.` };
  if (to === from) return { ok: true, flow };
  const problem = newStateNameProblem(flow, to);
  if (problem) return { ok: false, message: `Cannot rename "${from}" to "${to}": ${problem}` };
  const states = flow.states.map((named): NamedState => {
    const pointsHere = isPlainObject(named.state) && named.state.next === from;
    if (named.name !== from && !pointsHere) return named;
    return {
      ...named,
      name: named.name === from ? to : named.name,
      state: pointsHere ? { ...named.state, next: to } : named.state,
    };
  });
  return { ok: true, flow: { ...flow, states } };
}
