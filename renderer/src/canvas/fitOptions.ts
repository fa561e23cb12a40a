/**
 * How far "fit view" may zoom out: a small flow is shown whole; a large one stops at a readable
 * zoom (and so renders only the nodes in view).
 */
export function fitOptions(stateCount: number) {
  return { minZoom: stateCount > 150 ? 0.5 : 0.2, maxZoom: 1, padding: 0.08 };
}
