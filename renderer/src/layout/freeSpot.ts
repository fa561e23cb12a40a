/**
 * Where a new step goes: the first free place near a wanted point, so it never lands on another
 * step (or hides a choice's dot). Steps are compared as boxes of the size a step usually has on the
 * canvas, with a margin; pure, so commands can use it.
 */
import type { NodePosition } from '../host/studioHost.ts';

export const STEP_BOX = { width: 240, height: 200 };
const GAP = 40;

export function overlaps(a: NodePosition, b: NodePosition, gap = GAP): boolean {
  return Math.abs(a.x - b.x) < STEP_BOX.width + gap && Math.abs(a.y - b.y) < STEP_BOX.height + gap;
}

/**
 * The free spot nearest `wanted`, trying the wanted row first, then rows below and above it in turn,
 * then further columns to the right. Always answers (the search widens until it finds room).
 */
export function freeSpot(taken: Iterable<NodePosition>, wanted: NodePosition): NodePosition {
  const boxes = [...taken];
  const rowStep = STEP_BOX.height + GAP;
  const columnStep = STEP_BOX.width + GAP;
  for (let column = 0; column < 50; column++) {
    for (let ring = 0; ring < 12; ring++) {
      for (const sign of ring === 0 ? [0] : [1, -1]) {
        const spot = { x: Math.round(wanted.x + column * columnStep), y: Math.round(wanted.y + sign * ring * rowStep) };
        if (!boxes.some((box) => overlaps(box, spot))) return spot;
      }
    }
  }
  return { x: Math.round(wanted.x + 50 * columnStep), y: Math.round(wanted.y) };
}

/** The spot beside `source` (to its right) for a step that follows it. */
export function besideSource(taken: Iterable<NodePosition>, source: NodePosition | undefined): NodePosition {
  const from = source ?? { x: 0, y: 0 };
  return freeSpot(taken, { x: from.x + STEP_BOX.width + 2 * GAP + 40, y: from.y });
}
