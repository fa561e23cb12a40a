/** Flows for the engine and graph tests: the article's flow, and a compact way to write small ones. */
import article from '../../state-machines/bot-assistant.json';
import type { Flow, State } from '../flow/types.ts';

/** The article's `bot-assistant.json` as a Flow (its names are not integer-like, so key order is file order). */
export function articleFlow(): Flow {
  return flowOf(structuredClone(article) as unknown as Record<string, State>);
}

/** A flow from an object literal of states, in key order. */
export function flowOf(states: Record<string, State>): Flow {
  return { states: Object.entries(states).map(([name, state]) => ({ name, state })) };
}
