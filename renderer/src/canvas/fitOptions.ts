import { READABLE_ZOOM } from './readableViewport.ts';

/** Above this many states, "fit" frames the start state instead of the whole flow. */
const LARGE_FLOW = 150;

/**
 * What the zoom controls' "fit view" frames: a small flow is shown whole, but never below a readable
 * zoom (the author scrolls for the rest); a large one would be unreadable (and slow: every node in
 * view renders), so it frames the start state at a readable zoom.
 */
export function fitOptions(stateCount: number, startState?: string) {
  if (stateCount > LARGE_FLOW && startState !== undefined) return { nodes: [{ id: startState }], minZoom: 0.5, maxZoom: 0.9, padding: 1.5 };
  return { minZoom: READABLE_ZOOM, maxZoom: 1, padding: 0.08 };
}
