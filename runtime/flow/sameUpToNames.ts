import type { Flow } from './types.ts';

/**
 * Whether two flows differ only in their state names (every `next` renamed with its target): the
 * same messages, answers and links in the same order, so a conversation cannot tell them apart.
 * The studio renames steps after their text; a preview need not restart for that.
 */
export function sameUpToNames(a: Flow, b: Flow): boolean {
  return a.states.length === b.states.length && shape(a) === shape(b);
}

/** The flow with each `next` written as its target's position in the file (-1 for a missing one). */
function shape(flow: Flow): string {
  const index = new Map<string, number>();
  flow.states.forEach((s, i) => {
    if (!index.has(s.name)) index.set(s.name, i);
  });
  return JSON.stringify(flow.states.map(({ state }) => (typeof state.next === 'string' ? { ...state, next: index.get(state.next) ?? -1 } : state)));
}
